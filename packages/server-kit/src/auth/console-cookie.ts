import type { FastifyRequest } from "fastify";

/** The dashboard's session cookie: httpOnly, SameSite=Strict, Path=/ (Secure when the request came over https). */
export const CONSOLE_COOKIE = "mf_console";

/** The value of cookie `name` in a Cookie header, or undefined. Only the first one counts. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * The Set-Cookie value that stores `token` for `maxAgeSeconds`, or clears the
 * cookie when `token` is null. Secure follows the request's protocol (as
 * TRUST_PROXY reads it), so a deployment behind TLS gets it and plain
 * http://127.0.0.1 still works.
 */
export function consoleCookie(request: FastifyRequest, token: string | null, maxAgeSeconds = 0): string {
  const attributes = [
    `${CONSOLE_COOKIE}=${token ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${token === null ? 0 : Math.max(0, Math.floor(maxAgeSeconds))}`,
  ];
  if (request.protocol === "https") attributes.push("Secure");
  return attributes.join("; ");
}
