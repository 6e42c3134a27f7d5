import { findUnsafeText, type UnsafeTextIssue } from "@modelfaucet/core";
import type { FastifyRequest } from "fastify";
import { ZodError } from "zod";

/**
 * Deepest nesting of arrays and objects the API reads in a body: its own
 * bodies nest three levels (a feature's policy); free-form `metadata` gets
 * room to spare, not enough to overflow code that walks it.
 */
export const MAX_INPUT_DEPTH = 32;
/** Most unsafe fields one answer lists. */
const MAX_REPORTED_ISSUES = 20;
/** Request headers whose values the API stores or looks up. */
const KEY_HEADERS = ["Idempotency-Key"] as const;

/**
 * A `preValidation` hook for every API route: refuses, with 400
 * `invalid_request` naming each field, a path parameter, query value, JSON
 * body value or key, or key header holding NUL or an unpaired UTF-16
 * surrogate (text PostgreSQL cannot store as sent; see isSafeText), or a body
 * nested deeper than MAX_INPUT_DEPTH. One check for every route, present and
 * future, instead of a refinement on each schema; a raw body (the Stripe
 * webhook's Buffer) is not walked here — that route checks the event it
 * verified. It is thrown as a ZodError, so it is answered exactly like a
 * schema's own refusal.
 */
export async function refuseUnsafeInput(request: FastifyRequest): Promise<void> {
  const headers = Object.fromEntries(KEY_HEADERS.map((name) => [name, request.headers[name.toLowerCase()]]));
  const issues = [pathParams(request), request.query, request.body, headers].flatMap((part) =>
    findUnsafeText(part, { maxDepth: MAX_INPUT_DEPTH, maxIssues: MAX_REPORTED_ISSUES }),
  );
  if (issues.length > 0) throw unsafeInputError(issues.slice(0, MAX_REPORTED_ISSUES));
}

/** The path parameters, Fastify's wildcard `*` renamed `path` so that a message names it in words. */
function pathParams(request: FastifyRequest): Record<string, unknown> {
  const { "*": wildcard, ...named } = request.params as Record<string, unknown>;
  return wildcard === undefined ? named : { ...named, path: wildcard };
}

/** The issues as a ZodError, which the error envelope turns into a 400 naming the fields. */
export function unsafeInputError(issues: UnsafeTextIssue[]): ZodError {
  return new ZodError(issues.map(({ path, message }) => ({ code: "custom", path, message, input: undefined })));
}
