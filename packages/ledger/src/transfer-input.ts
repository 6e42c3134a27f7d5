import type { TransferCode } from "./registry/transfer-codes.js";
import type { JsonObject } from "./transfer.js";

interface InputCommon {
  /** Chosen by the caller, 1–160 printable ASCII characters; `expire:` is reserved for the sweeper. */
  id: string;
  requestId?: string;
  /** A JSON object of at most 4 KiB, stored with the transfer. */
  metadata?: JsonObject;
}

interface MovesMoney extends InputCommon {
  debitAccountId: string;
  creditAccountId: string;
  /** Units of 1e-8 USD, > 0. */
  amount: bigint;
  /** Why the money moves: one of the registry's TRANSFER_CODES. */
  code: TransferCode;
}

/** Moves `amount` now. */
export interface PostedTransferInput extends MovesMoney {
  kind: "posted";
}

/**
 * Reserves `amount` until it is posted, voided, or expired by the sweeper.
 * The expiry is when the sweeper MAY release the hold: until it has, the hold
 * can still be posted (a settlement that arrives late still charges what was
 * reserved for it, instead of losing the money).
 */
export type PendingTransferInput = MovesMoney & { kind: "pending" } & (
    { timeoutSeconds: number; expiresAt?: never } | { expiresAt: Date; timeoutSeconds?: never }
  );

/** Posts up to the held amount of `pendingId` and releases the rest. */
export interface PostPendingInput extends InputCommon {
  kind: "post_pending";
  pendingId: string;
  /** Units, 0 < amount ≤ held amount; omitted means the whole hold. To charge nothing, void. */
  amount?: bigint;
  /** Omitted: the pending transfer's code. */
  code?: TransferCode;
}

/** Releases the whole of `pendingId`. */
export interface VoidPendingInput extends InputCommon {
  kind: "void_pending";
  pendingId: string;
  /** Omitted: the pending transfer's code. */
  code?: TransferCode;
}

export type TransferInput = PostedTransferInput | PendingTransferInput | PostPendingInput | VoidPendingInput;

/** Limits on what a caller may send (TigerBeetle habit: a limit on everything). */
export const LIMITS = {
  maxBatchSize: 1000,
  maxTransferIdLength: 160,
  maxMetadataBytes: 4096,
  /** Amounts stay far below numeric(38,0) so no sum of them can overflow a column. */
  maxAmount: 10n ** 30n,
  maxHoldSeconds: 30 * 24 * 3600,
} as const;

/** Ids the sweeper gives the expire_pending transfers it writes. */
export const EXPIRE_ID_PREFIX = "expire:";
