import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@modelfaucet/core";
import type { FastifyRequest } from "fastify";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** The token of an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== "string") return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * An onRequest hook admitting only `Bearer <expected>`. Both sides are hashed
 * first so the comparison takes the same time whatever the lengths. With no
 * token configured, every request is refused: the routes are off. A console
 * cookie session signed in with the same token is admitted too.
 */
export function requireStaticToken(expected: string | undefined, name: string) {
  const expectedDigest = expected ? digest(expected) : undefined;
  return async (request: FastifyRequest): Promise<void> => {
    // A dashboard session opened with this very token (see console-session-auth.ts).
    if (request.consoleSession?.standsFor === name && expectedDigest) return;
    const token = bearerToken(request);
    if (!token) throw new AppError("unauthorized", `Send Authorization: Bearer <${name}>.`);
    if (!expectedDigest) throw new AppError("forbidden", `${name} is not configured on this server.`);
    if (!timingSafeEqual(digest(token), expectedDigest)) throw new AppError("forbidden", `Invalid ${name}.`);
  };
}
