import { z } from "zod";
import { usdAmount } from "../money.js";
import { timestamp } from "../wire.js";
import { actingDeveloperQuery } from "./apps.js";

/** `GET /v1/developer/operations` query: the bootstrap token names the developer. */
export const operationsQuery = actingDeveloperQuery;

/** Entries of each list in the operations view. */
export const OPERATIONS_LIST_LIMIT = 50;

const payoutSummary = z.object({
  id: z.string(),
  status: z.enum(["pending", "processing", "paid", "cancelled"]),
  amount_usd: usdAmount,
  created_at: timestamp,
  approved_at: timestamp.nullable(),
  paid_at: timestamp.nullable(),
  cancelled_at: timestamp.nullable(),
});

/** An audit log entry: ids, amounts and field names — never a secret. */
export const auditEntrySchema = z.object({
  id: z.string(),
  occurred_at: timestamp,
  actor_type: z.string(),
  actor_id: z.string().nullable(),
  action: z.string(),
  resource_type: z.string(),
  resource_id: z.string().nullable(),
  request_id: z.string().nullable(),
  details: z.unknown(),
});

/**
 * One developer's wallet (its ledger account), its users' top-ups (all
 * time), its latest payouts and audit entries (OPERATIONS_LIST_LIMIT each).
 */
export const operationsSchema = z.object({
  developer_id: z.string(),
  wallet: z.object({ balance_usd: usdAmount, held_usd: usdAmount, available_usd: usdAmount }),
  top_ups: z
    .object({
      count: z.number().int(),
      paid_count: z.number().int(),
      paid_usd: usdAmount,
      refunded_usd: usdAmount,
    })
    .optional(),
  payouts: z.array(payoutSummary),
  audit_log: z.array(auditEntrySchema),
});

export type Operations = z.output<typeof operationsSchema>;
