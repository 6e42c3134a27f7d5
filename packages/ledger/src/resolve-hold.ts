import type { Database } from "@modelfaucet/db";
import { createTransfers, type CreateTransfersOptions } from "./create-transfers.js";
import { createFastPathQueue, FAST_PATH_BATCHING, type FastPathQueue } from "./fast-path-queue.js";
import { getBalance } from "./get-balance.js";
import { isFastPathDeclined, isUniqueViolation } from "./in-transaction.js";
import { rowToTransfer, TRANSFER_COLUMNS, type TransferRow } from "./transfer.js";
import {
  LIMITS,
  type PostedTransferInput,
  type PostPendingInput,
  type TransferInput,
  type VoidPendingInput,
} from "./transfer-input.js";
import type { CreateTransferResult } from "./transfer-result.js";
import { validateTransfer } from "./validate-transfer.js";

/** One statement of the caller's, with its parameters `$1`…`$n`. */
export interface CompanionWrite {
  /**
   * A single INSERT, UPDATE or DELETE (it runs as a data-modifying WITH query,
   * beside other settlements' companions). `$` appears in it only as a
   * parameter reference: parameters are renumbered when it joins a batch.
   */
  sql: string;
  params: readonly unknown[];
}

export interface ResolveHoldOptions extends CreateTransfersOptions {
  /**
   * A write that must commit with the transfers and only with them, e.g. the
   * usage event of a settlement: committed when every transfer is created or
   * exists, rolled back when any is refused. It may run twice (a declined
   * fast path is rolled back and the batch path runs it again), never commit twice.
   */
  companion?: CompanionWrite;
}

/** What a settlement did, and the balance it left on the account of the hold it resolved. */
export interface SettledHold {
  results: CreateTransferResult[];
  /**
   * The available balance (balance − held, units) of the resolved hold's
   * debit account right after these transfers, read in the same statement
   * (fast path) or transaction (batch path); null when a transfer was
   * refused (nothing was applied).
   */
  available: bigint | null;
}

const ARGUMENTS = 14;
const BATCH_ARGUMENTS = 15;

/**
 * Added to the transfer columns of both fast-path statements: on the
 * resolution's row (the only one with a pending_id), its debit account's
 * available balance after the statement's writes — ledger_account_available
 * is volatile, so it reads them (migration 0014). One index lookup inside the
 * statement; no round trip.
 */
const DEBIT_AVAILABLE = `CASE WHEN t.pending_id IS NULL THEN NULL
  ELSE ledger_account_available(t.debit_account_id)::text END AS debit_available`;

type ResolvedRow = TransferRow & { debit_available: string | null };

/** A settlement the fast path applied: its rows, the resolution's first. */
interface Resolved {
  rows: TransferRow[];
  available: bigint | null;
}

/**
 * Resolves a hold (post_pending or void_pending) together with posted
 * transfers, e.g. a settlement's split of usage clearing: the same results as
 * `createTransfers(db, [resolution, ...transfers])`, all or nothing, in ONE
 * statement and round trip in the common case — new ids, the hold open, every
 * posted transfer between accounts whose changes are deferred (platform
 * accounts, credits to developers). The database function
 * `ledger_resolve_hold` (migration 0005) claims the open hold, updates the
 * hold's debit row when it is constrained, and inserts the transfers and one
 * delta per account, as one implicit transaction together with the companion
 * write. Every other case is declined (the statement rolls back) and decided
 * by createTransfers, so refusals and `exists` answers are exactly the batch
 * path's. Settlements made concurrently on the same Database share one
 * statement and commit (see resolveQueue).
 *
 * Takes the Database, not a transaction: a declined statement aborts, which
 * must not abort a caller's work.
 */
export async function resolveHold(
  db: Database,
  resolution: PostPendingInput | VoidPendingInput,
  transfers: readonly PostedTransferInput[],
  options: ResolveHoldOptions = {},
): Promise<CreateTransferResult[]> {
  return (await resolve(db, resolution, transfers, options, false)).results;
}

/**
 * A settlement: resolveHold that also answers the available balance it left
 * on the hold's debit account (a wallet after a request is settled), read in
 * the same statement on the fast path. `transfers` may be of any kind (e.g.
 * a second hold's resolution): any shape the fast path does not take runs
 * on the batch path in one transaction with the companion and the read —
 * given no companion, a lost id race there is AppError `conflict` (retryable).
 */
export async function settleHold(
  db: Database,
  resolution: PostPendingInput | VoidPendingInput,
  transfers: readonly TransferInput[],
  options: ResolveHoldOptions = {},
): Promise<SettledHold> {
  return resolve(db, resolution, transfers, options, true);
}

async function resolve(
  db: Database,
  resolution: PostPendingInput | VoidPendingInput,
  transfers: readonly TransferInput[],
  options: ResolveHoldOptions,
  readAvailable: boolean,
): Promise<SettledHold> {
  if (fastPathApplies(resolution, transfers)) {
    const resolved = await resolveQueue(db).submit({ resolution, transfers, companion: options.companion });
    if (resolved) {
      const results = resolved.rows.map((row) => ({
        id: row.id,
        result: "created" as const,
        transfer: rowToTransfer(row),
      }));
      return { results, available: resolved.available };
    }
  }
  const inputs = [resolution, ...transfers];
  if (!readAvailable) return { results: await createTransfersWithCompanion(db, inputs, options), available: null };
  return applyInTransaction(db, inputs, options, true);
}

interface Settlement {
  resolution: PostPendingInput | VoidPendingInput;
  transfers: readonly PostedTransferInput[];
  companion: CompanionWrite | undefined;
}

const queues = new WeakMap<Database, FastPathQueue<Settlement, Resolved | null>>();

/**
 * Concurrent settlements on one Database go together (migration 0012's
 * ledger_resolve_holds, all or nothing); a settlement alone, or one of a
 * batch that was declined, takes the one-item function. Either answers the
 * inserted rows, or null when declined (decided by the general path).
 */
function resolveQueue(db: Database): FastPathQueue<Settlement, Resolved | null> {
  let queue = queues.get(db);
  if (!queue) {
    queue = createFastPathQueue({
      ...FAST_PATH_BATCHING,
      keysOf: ({ resolution, transfers }) => [
        resolution.pendingId,
        resolution.id,
        ...transfers.map((transfer) => transfer.id),
      ],
      runOne: (settlement) => resolveOne(db, settlement),
      runMany: (settlements) => resolveMany(db, settlements),
    });
    queues.set(db, queue);
  }
  return queue;
}

async function resolveOne(db: Database, settlement: Settlement): Promise<Resolved | null> {
  try {
    const { rows } = await db.query<ResolvedRow>(...statement(settlement));
    if (rows.length !== settlement.transfers.length + 1)
      throw new Error("ledger invariant: every transfer of a resolution is inserted");
    return { rows, available: availableOf(rows[0]!) };
  } catch (error) {
    if (isFastPathDeclined(error) || isUniqueViolation(error)) return null;
    throw error;
  }
}

async function resolveMany(db: Database, settlements: readonly Settlement[]): Promise<Resolved[]> {
  const { rows } = await db.query<ResolvedRow>(...batchStatement(settlements));
  const inserted = new Map(rows.map((row) => [row.id, row]));
  return settlements.map(({ resolution, transfers }) => {
    const own = [resolution.id, ...transfers.map((transfer) => transfer.id)].map((id) => {
      const row = inserted.get(id);
      if (!row) throw new Error("ledger invariant: every transfer of a batch of resolutions is inserted");
      return row;
    });
    return { rows: own, available: availableOf(own[0]!) };
  });
}

/** The resolution row's debit_available; a batch may hold two holds of one account: each sees both. */
function availableOf(resolutionRow: ResolvedRow): bigint | null {
  return resolutionRow.debit_available === null ? null : BigInt(resolutionRow.debit_available);
}

/** Only inputs that pass every check needing no database; the batch path answers the others. */
function fastPathApplies(
  resolution: PostPendingInput | VoidPendingInput,
  transfers: readonly TransferInput[],
): transfers is readonly PostedTransferInput[] {
  if (resolution.kind !== "post_pending" && resolution.kind !== "void_pending") return false;
  if (transfers.length >= LIMITS.maxBatchSize) return false;
  if (transfers.some((transfer) => transfer.kind !== "posted")) return false;
  const ids = new Set([resolution.id, resolution.pendingId, ...transfers.map((transfer) => transfer.id)]);
  if (ids.size !== transfers.length + 2) return false;
  return [resolution, ...transfers].every((input) => validateTransfer(input) === null);
}

function statement({ resolution, transfers, companion }: Settlement): [string, unknown[]] {
  const before = companion?.params ?? [];
  const placeholders = Array.from({ length: ARGUMENTS }, (_, i) => `$${before.length + i + 1}`).join(", ");
  const call = `SELECT ${TRANSFER_COLUMNS}, ${DEBIT_AVAILABLE} FROM ledger_resolve_hold(${placeholders}) t`;
  const sql = companion ? `WITH companion AS (${companion.sql}) ${call}` : call;
  const amount = resolution.kind === "post_pending" ? resolution.amount : undefined;
  return [
    sql,
    [
      ...before,
      resolution.id,
      resolution.kind,
      resolution.pendingId,
      amount?.toString() ?? null,
      resolution.code ?? null,
      resolution.requestId ?? null,
      resolution.metadata === undefined ? null : JSON.stringify(resolution.metadata),
      transfers.map((transfer) => transfer.id),
      transfers.map((transfer) => transfer.debitAccountId),
      transfers.map((transfer) => transfer.creditAccountId),
      transfers.map((transfer) => transfer.amount.toString()),
      transfers.map((transfer) => transfer.code),
      transfers.map((transfer) => transfer.requestId ?? null),
      JSON.stringify(transfers.map((transfer) => transfer.metadata ?? null)),
    ],
  ];
}

/** Every settlement's companion as its own WITH query, then one call for all of their transfers. */
function batchStatement(settlements: readonly Settlement[]): [string, unknown[]] {
  const params: unknown[] = [];
  const companions: string[] = [];
  for (const { companion } of settlements) {
    if (!companion) continue;
    const offset = params.length;
    companions.push(
      `c${companions.length} AS (${companion.sql.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + offset}`)})`,
    );
    params.push(...companion.params);
  }
  const placeholders = Array.from({ length: BATCH_ARGUMENTS }, (_, i) => `$${params.length + i + 1}`).join(", ");
  const call = `SELECT ${TRANSFER_COLUMNS}, ${DEBIT_AVAILABLE} FROM ledger_resolve_holds(${placeholders}) t`;
  const resolutions = settlements.map(({ resolution }) => resolution);
  const posted = settlements.flatMap(({ transfers }, index) => transfers.map((transfer) => ({ index, transfer })));
  params.push(
    resolutions.map((resolution) => resolution.id),
    resolutions.map((resolution) => resolution.kind),
    resolutions.map((resolution) => resolution.pendingId),
    resolutions.map((resolution) =>
      resolution.kind === "post_pending" ? (resolution.amount?.toString() ?? null) : null,
    ),
    resolutions.map((resolution) => resolution.code ?? null),
    resolutions.map((resolution) => resolution.requestId ?? null),
    JSON.stringify(resolutions.map((resolution) => resolution.metadata ?? null)),
    posted.map(({ index }) => index + 1),
    posted.map(({ transfer }) => transfer.id),
    posted.map(({ transfer }) => transfer.debitAccountId),
    posted.map(({ transfer }) => transfer.creditAccountId),
    posted.map(({ transfer }) => transfer.amount.toString()),
    posted.map(({ transfer }) => transfer.code),
    posted.map(({ transfer }) => transfer.requestId ?? null),
    JSON.stringify(posted.map(({ transfer }) => transfer.metadata ?? null)),
  );
  return [companions.length > 0 ? `WITH ${companions.join(", ")} ${call}` : call, params];
}

const REFUSED = Symbol("refused");

/**
 * `createTransfers` (the batch path, any shape) with the companion write in
 * the same transaction: committed when every transfer is created or exists,
 * rolled back with them otherwise — e.g. a settlement that resolves two holds.
 */
export async function createTransfersWithCompanion(
  db: Database,
  inputs: readonly TransferInput[],
  options: ResolveHoldOptions,
): Promise<CreateTransferResult[]> {
  const { companion, ...batchOptions } = options;
  if (!companion) return createTransfers(db, inputs, batchOptions);
  return (await applyInTransaction(db, inputs, options, false)).results;
}

/**
 * The companion (if any) and the transfers in one transaction, rolled back
 * together unless every transfer applied; then, when `readAvailable`, the
 * first transfer's debit account's available balance, read in it.
 */
async function applyInTransaction(
  db: Database,
  inputs: readonly TransferInput[],
  { companion, ...batchOptions }: ResolveHoldOptions,
  readAvailable: boolean,
): Promise<SettledHold> {
  let settled: SettledHold = { results: [], available: null };
  try {
    await db.transaction(async (tx) => {
      if (companion) await tx.query(companion.sql, companion.params);
      const results = await createTransfers(tx, inputs, batchOptions);
      settled = { results, available: null };
      if (results.some((result) => result.result !== "created" && result.result !== "exists")) throw REFUSED;
      const first = results[0];
      if (readAvailable && first && "transfer" in first) {
        const balance = await getBalance(tx, first.transfer.debitAccountId);
        settled = { results, available: balance?.available ?? null };
      }
    });
  } catch (error) {
    if (error !== REFUSED) throw error;
  }
  return settled;
}
