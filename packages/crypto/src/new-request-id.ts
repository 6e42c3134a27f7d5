import { randomBytes } from "node:crypto";
import { isSaneRequestId } from "@modelfaucet/core";

/** A fresh id: `req_` and 24 lowercase hex characters (96 random bits). */
export function newRequestId(): string {
  return `req_${randomBytes(12).toString("hex")}`;
}

/** The caller's id if sane (core's `isSaneRequestId`), else a fresh one. */
export function resolveRequestId(incoming: unknown): string {
  return isSaneRequestId(incoming) ? incoming : newRequestId();
}
