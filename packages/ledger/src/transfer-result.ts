import type { Transfer } from "./transfer.js";

/**
 * The outcome of one transfer of a batch, TigerBeetle-style: an explicit code,
 * never a boolean. Only `created` moved money in this call; `exists` means an
 * earlier call with the same id and the same fields did (its transfer is
 * returned). Every other code means nothing was written for the whole batch.
 */
export type CreateTransferResultCode =
  | "created"
  | "exists"
  | "exists_with_different_fields"
  /** Another transfer of the same batch was refused, so this one was not applied. */
  | "linked_event_failed"
  | "invalid_id"
  /** The same id appears twice in one batch. */
  | "duplicate_id_in_batch"
  | "invalid_kind"
  | "invalid_code"
  | "invalid_request_id"
  | "invalid_metadata"
  | "invalid_expiry"
  | "amount_must_be_positive"
  | "amount_exceeds_maximum"
  | "accounts_must_be_different"
  | "pending_id_must_be_different"
  | "account_not_found"
  /** A constrained account would have debits (posted + pending) above its posted credits. */
  | "exceeds_credits"
  | "pending_not_found"
  | "pending_transfer_not_pending"
  | "already_posted"
  | "already_voided"
  | "already_expired"
  | "exceeds_pending_amount";

export type RefusalCode = Exclude<CreateTransferResultCode, "created" | "exists">;

export type CreateTransferResult =
  | { id: string; result: "created"; transfer: Transfer }
  | { id: string; result: "exists"; transfer: Transfer }
  | { id: string; result: RefusalCode };

/** postPending's outcome: `posted` where createTransfers says `created`. */
export type PostPendingResult =
  | { id: string; result: "posted"; transfer: Transfer }
  | { id: string; result: "exists"; transfer: Transfer }
  | { id: string; result: RefusalCode };

/** voidPending's outcome: `voided` where createTransfers says `created`. */
export type VoidPendingResult =
  | { id: string; result: "voided"; transfer: Transfer }
  | { id: string; result: "exists"; transfer: Transfer }
  | { id: string; result: RefusalCode };
