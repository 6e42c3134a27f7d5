import { z } from "zod";
import { usdAmount } from "./money.js";
import { timestamp } from "./wire.js";

/** Ledger transfer kinds: a posted transfer, a hold, and a hold's resolution. */
export const TRANSFER_KINDS = ["posted", "pending", "post_pending", "void_pending", "expire_pending"] as const;

/** One movement of the wallet, as the wallet's owner sees it. */
export const walletTransferSchema = z.object({
  id: z.string(),
  kind: z.enum(TRANSFER_KINDS),
  /** What moved the money: `usage`, `top_up`, `test_credit`, `adjustment`, `refund`, … */
  code: z.string(),
  /** `debit`: out of the wallet; `credit`: into it. */
  direction: z.enum(["debit", "credit"]),
  amount_usd: usdAmount,
  request_id: z.string().nullable(),
  created_at: timestamp,
});

export type WalletTransfer = z.output<typeof walletTransferSchema>;

/**
 * `GET /v1/user/wallet`: `balance_usd` is posted money, `held_usd` what
 * requests in flight hold, `available_usd` = balance − held; `recent` the
 * latest movements, newest first.
 */
export const walletSchema = z.object({
  wallet_id: z.string(),
  balance_usd: usdAmount,
  held_usd: usdAmount,
  available_usd: usdAmount,
  recent: z.array(walletTransferSchema),
});

export type Wallet = z.output<typeof walletSchema>;

/** A wallet's balances after an operator moved money (test credit, adjustment). */
export const walletBalancesSchema = z.object({
  wallet_id: z.string(),
  transfer_id: z.string(),
  balance_usd: usdAmount,
  held_usd: usdAmount,
  available_usd: usdAmount,
});
