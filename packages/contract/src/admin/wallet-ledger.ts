import { z } from "zod";
import { usdAmount } from "../money.js";
import { pageOf, timestamp } from "../wire.js";

/** `GET /v1/admin/wallets` query: newest first, optionally one app's. */
export const walletListQuery = z.object({
  app_id: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/**
 * An end user's wallet (`GET /v1/admin/wallets/:id`, and each item of the
 * list): its ledger balance (posted), what is held, and what is left to spend.
 */
export const walletSummarySchema = z.object({
  wallet_id: z.string(),
  app_id: z.string(),
  balance_usd: usdAmount,
  held_usd: usdAmount,
  available_usd: usdAmount,
  created_at: timestamp,
});

export type WalletSummary = z.output<typeof walletSummarySchema>;

export const walletListSchema = pageOf(walletSummarySchema);

/** `GET /v1/admin/wallets/:id/entries` query: newest first. */
export const walletEntriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/**
 * One ledger transfer on a wallet's account, seen from the wallet: `debit`
 * takes money out of it (or holds it), `credit` puts money in.
 */
export const walletEntrySchema = z.object({
  transfer_id: z.string(),
  /** posted, pending (a hold), post_pending, void_pending or expire_pending. */
  kind: z.string(),
  code: z.string(),
  direction: z.enum(["debit", "credit"]),
  amount_usd: usdAmount,
  /** The other account of the transfer. */
  counterparty: z.string(),
  pending_id: z.string().nullable(),
  request_id: z.string().nullable(),
  created_at: timestamp,
});

export type WalletEntry = z.output<typeof walletEntrySchema>;

export const walletEntryPageSchema = pageOf(walletEntrySchema);
