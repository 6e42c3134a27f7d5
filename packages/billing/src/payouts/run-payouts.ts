// A payout run. Invariant, per developer: at most one open payout, and an
// open payout's amount = its ledger hold (developer → payouts_clearing) = the
// developer's spendable balance when the run read it.
import { formatUsd } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import {
  ACCOUNT_ID_PREFIXES,
  accountIds,
  applyDeferredBalances,
  createTransfers,
  PLATFORM_ACCOUNTS,
  TRANSFER_CODES,
} from "@modelfaucet/ledger";
import { appendAuditEntry, operatorActor } from "@modelfaucet/store";
import { PAYOUT_COLUMNS, PAYOUT_HOLD_SECONDS, payoutTransferIds, type PayoutRow } from "./payout-record.js";

export interface RunPayoutsInput {
  /** Developers whose spendable balance is at least this many units get a payout; ≥ 0. */
  thresholdUnits: bigint;
  requestId: string;
}

/** Why a candidate got no payout in this run. */
export type PayoutSkipReason =
  /** Another run (concurrent, or earlier and not yet settled) already holds an open payout for it. */
  | "open_payout_exists"
  /** The ledger refused the hold (its balance changed since it was read), e.g. `exceeds_credits`. */
  | `ledger_${string}`;

export interface RunPayoutsResult {
  runId: string;
  /** Deferred balance rows folded before the balances were read. */
  folded: number;
  created: PayoutRow[];
  skipped: Array<{ developerId: string; reason: PayoutSkipReason }>;
}

/** Developers read per page; every page is processed, so this bounds memory, not the run. */
const CANDIDATE_PAGE = 500;
const FOLD_BATCH = 10_000;
/** Bound on fold rounds (each up to FOLD_BATCH rows) and waits while another folder holds the lock. */
const MAX_FOLD_ROUNDS = 200;
const FOLD_BUSY_WAIT_MS = 25;

/**
 * A payout run: folds the deferred balances, then for every developer whose
 * SPENDABLE balance is ≥ the threshold creates a `pending` payout and, in the
 * same transaction, a ledger hold developer → payouts_clearing for all of it.
 *
 * Spendable is read from the stored account row (credits_posted −
 * debits_posted − debits_pending), not from `getBalance`: the ledger's
 * overdraft check counts only folded credits, so that is exactly what a hold
 * may take. Credits arriving after the fold wait for the next run.
 *
 * One transaction per developer, so one refusal does not undo the others. A
 * developer with an open (pending or processing) payout gets no second one:
 * the partial unique index of migration 0009 decides, also between
 * concurrent runs.
 */
export async function runPayouts(db: Database, input: RunPayoutsInput): Promise<RunPayoutsResult> {
  const folded = await foldDeferredBalances(db);
  const result: RunPayoutsResult = { runId: newId("prun"), folded, created: [], skipped: [] };
  for (let after = ""; ;) {
    const candidates = await loadCandidates(db, input.thresholdUnits, after);
    for (const candidate of candidates) {
      const outcome = await createPayout(db, { ...candidate, ...input, runId: result.runId });
      if (outcome.payout) result.created.push(outcome.payout);
      else result.skipped.push({ developerId: candidate.developerId, reason: outcome.reason });
    }
    if (candidates.length < CANDIDATE_PAGE) break;
    after = candidates.at(-1)!.developerId;
  }
  await appendAuditEntry(db, {
    ...operatorActor(input.requestId),
    action: "payouts.run",
    resourceType: "payout_run",
    resourceId: result.runId,
    developerId: null,
    details: {
      threshold_usd: formatUsd(input.thresholdUnits),
      created: result.created.length,
      skipped: result.skipped.length,
    },
  });
  return result;
}

async function foldDeferredBalances(db: Database): Promise<number> {
  let folded = 0;
  for (let round = 0; round < MAX_FOLD_ROUNDS; round++) {
    const { deltas, busy } = await applyDeferredBalances(db, { limit: FOLD_BATCH });
    if (busy) {
      await new Promise((resolve) => setTimeout(resolve, FOLD_BUSY_WAIT_MS));
      continue;
    }
    folded += deltas;
    if (deltas < FOLD_BATCH) break;
  }
  return folded;
}

interface Candidate {
  developerId: string;
  spendableUnits: bigint;
}

async function loadCandidates(q: Queryable, thresholdUnits: bigint, after: string): Promise<Candidate[]> {
  const { rows } = await q.query<{ developer_id: string; spendable: string }>(
    `SELECT d.id AS developer_id, (a.credits_posted - a.debits_posted - a.debits_pending)::text AS spendable
     FROM developers d
     JOIN ledger_accounts a ON a.id = $4::text || d.id AND a.kind = 'developer'
     WHERE d.id > $2
       AND a.credits_posted - a.debits_posted - a.debits_pending >= $1::numeric
       AND a.credits_posted - a.debits_posted - a.debits_pending > 0
       AND NOT EXISTS (SELECT 1 FROM payouts p WHERE p.developer_id = d.id AND p.status IN ('pending', 'processing'))
     ORDER BY d.id
     LIMIT $3`,
    [thresholdUnits.toString(), after, CANDIDATE_PAGE, ACCOUNT_ID_PREFIXES.developer],
  );
  return rows.map((row) => ({ developerId: row.developer_id, spendableUnits: BigInt(row.spendable) }));
}

type CreateOutcome = { payout: PayoutRow; reason?: never } | { payout?: never; reason: PayoutSkipReason };

/** Thrown inside the transaction to roll back a payout whose hold the ledger refused. */
class HoldRefused extends Error {
  constructor(readonly reason: PayoutSkipReason) {
    super(reason);
  }
}

async function createPayout(
  db: Database,
  input: Candidate & RunPayoutsInput & { runId: string },
): Promise<CreateOutcome> {
  const payoutId = newId("po");
  const ids = payoutTransferIds(payoutId);
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query<PayoutRow>(
        `INSERT INTO payouts (id, developer_id, run_id, amount_units, threshold_units, hold_transfer_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (developer_id) WHERE status IN ('pending', 'processing') DO NOTHING
         RETURNING ${PAYOUT_COLUMNS}`,
        [
          payoutId,
          input.developerId,
          input.runId,
          input.spendableUnits.toString(),
          input.thresholdUnits.toString(),
          ids.hold,
        ],
      );
      const payout = rows[0];
      if (!payout) return { reason: "open_payout_exists" } as const;
      const [hold] = await createTransfers(tx, [
        {
          kind: "pending",
          id: ids.hold,
          debitAccountId: accountIds.developer(input.developerId),
          creditAccountId: PLATFORM_ACCOUNTS.payoutsClearing,
          amount: input.spendableUnits,
          code: TRANSFER_CODES.payout,
          timeoutSeconds: PAYOUT_HOLD_SECONDS,
          requestId: input.requestId,
          metadata: { payout_id: payoutId, run_id: input.runId },
        },
      ]);
      if (hold?.result !== "created") throw new HoldRefused(`ledger_${hold?.result ?? "no_result"}`);
      await appendAuditEntry(tx, {
        ...operatorActor(input.requestId),
        action: "payout.create",
        resourceType: "payout",
        resourceId: payoutId,
        developerId: input.developerId,
        details: {
          run_id: input.runId,
          amount_usd: formatUsd(input.spendableUnits),
          hold_transfer_id: ids.hold,
        },
      });
      return { payout };
    });
  } catch (error) {
    if (error instanceof HoldRefused) return { reason: error.reason };
    throw error;
  }
}
