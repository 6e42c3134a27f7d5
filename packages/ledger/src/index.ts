/**
 * @modelfaucet/ledger — the only code that moves money.
 *
 * A double-entry ledger modelled on TigerBeetle, stored in PostgreSQL (or
 * PGlite). Amounts are integer units of 1e-8 USD: `bigint` here,
 * `numeric(38,0)` in SQL, strings in between. Every function takes a
 * `Queryable`: the Database (the ledger opens a transaction where it needs
 * one) or the caller's open transaction (the ledger's writes then commit or
 * roll back with the caller's, e.g. a settlement with its usage event).
 *
 * ## Entities (tables of migration 0002)
 *
 * - Account (`ledger_accounts`): caller-chosen id from the registry
 *   (registry/account-ids.ts: `accountIds.user(id)`, `accountIds.developer(id)`,
 *   `accountIds.keyBudget(keyId)`, or a platform singleton of
 *   PLATFORM_ACCOUNTS); four running totals
 *   debits_posted, credits_posted, debits_pending, credits_pending. end_user
 *   and developer accounts are CONSTRAINED:
 *   debits_posted + debits_pending ≤ credits_posted, always, whatever the
 *   concurrency. Sign convention: balance = credits_posted − debits_posted
 *   for every account; available = balance − debits_pending.
 * - Transfer (`ledger_transfers`): immutable; the caller's id is the
 *   idempotency key (same id and fields → `exists`, no second effect).
 *   Kinds: posted; pending (a hold, with an expiry); and the three that
 *   resolve a hold — post_pending (≤ the held amount, the rest released),
 *   void_pending, expire_pending (written by the sweeper). A hold's expiry is
 *   when the sweeper MAY release it; until it has, it can still be posted, so
 *   a settlement that arrives late charges what was reserved for it.
 * - Open hold (`ledger_open_holds`): one row per unresolved hold. Resolving
 *   starts by DELETEing it — the claim — so a hold resolves at most once; a
 *   unique index on the resolving transfer's pending_id enforces it again.
 * - Balance delta (`ledger_balance_deltas`): deferred changes, see below.
 *
 * ## Invariants (checked by `reconcile`)
 *
 * - For each account and column: stored + Σ deferred deltas = Σ over its
 *   transfers. Σ debits_posted = Σ credits_posted and Σ debits_pending =
 *   Σ credits_pending over all accounts, so Σ balance = 0.
 * - No constrained account has available < 0.
 * - A pending transfer is resolved at most once, and has an open-hold row
 *   exactly while it is unresolved.
 *
 * ## No lock queue on hot rows: deferred balances
 *
 * Every LLM request holds on the user's account, then settles: the hold is
 * posted to platform:usage_clearing, and clearing is split to
 * platform:provider_cost, developer:<id> and platform:revenue. If each
 * request updated those rows, all requests would queue on them. So a change
 * to an account side is either:
 *
 * - IMMEDIATE — written to the account row in the request's transaction:
 *   debits of constrained accounts (the overdraft check must run under the
 *   row: `UPDATE … WHERE debits_posted + debits_pending + Δ <= credits_posted`),
 *   and credits of end users (only that user's requests touch the row, and a
 *   top-up must be spendable at once); or
 * - DEFERRED — everything on platform accounts and credits to developers:
 *   the batch inserts one delta row per account, which
 *   `applyDeferredBalances` (a worker) later folds into the account row:
 *   DELETE … RETURNING of the oldest deltas and UPDATE of the sums, in one
 *   statement, so a delta is counted exactly once. The overdraft check counts
 *   only stored credits, so a developer's not-yet-folded credits cannot be
 *   spent yet: conservative, never unsafe.
 *
 * Readers see exact numbers: `getBalance` returns stored + Σ deltas in one
 * snapshot. Transfers and deltas carry no foreign key to ledger_accounts
 * (that would KEY SHARE-lock the hot rows); accounts are never deleted.
 *
 * ## A batch (createTransfers)
 *
 * All or nothing. One read (transfers and accounts named, no locks), then a
 * pure plan (every refusal rule, planBatch), then at most three writes:
 * DELETE of the claimed open holds, one UPDATE of the constrained rows, one
 * multi-row INSERT of transfers + new holds + deltas. A settlement is
 * therefore four statements, none of which locks a shared row. A refusal
 * found by a write (a hold lost to a concurrent resolver, an overdraft) is
 * undone exactly inside the same transaction and the batch planned again on
 * a fresh read, so even a caller's transaction is never left half-written.
 * One race cannot be undone (a concurrent copy of a new transfer id inserted
 * first): the ledger then throws AppError `conflict`, retryable — retried
 * once here when the ledger owns the transaction.
 *
 * ## The fast path (createHold, resolveHold)
 *
 * A batch costs BEGIN, the read, up to three writes and COMMIT: six round
 * trips and a plan of each statement. The two calls of every LLM request have
 * one shape each, so they also exist as ONE statement calling a function of
 * migration 0005 — an implicit transaction, one round trip:
 *
 * - `createHold`: `ledger_create_hold` debits the user's row under the
 *   overdraft check, inserts the pending transfer, its open hold and the
 *   deferred credit of clearing.
 * - `resolveHold`: `ledger_resolve_hold` claims the open hold (the same
 *   DELETE), updates the user's row, inserts the post/void and the posted
 *   split transfers in order and one delta per account — plus, in the same
 *   statement, a companion write of the caller's (the usage event), so the
 *   two still commit together. `settleHold` is the same call answering also
 *   the available balance the settlement left on the hold's account (read in
 *   that statement by the volatile `ledger_account_available`, migration
 *   0014), so an answer can carry the wallet after it at no extra round trip.
 *
 * They write exactly the rows the batch path writes, and only in the common
 * case; anything else — a retried id, a hold already resolved, an overdraft,
 * a missing account, a shape touching two account rows — is DECLINED without
 * a trace (no row returned, or SQLSTATE MF001 / a unique violation rolling the
 * statement back) and handed to createTransfers, which gives the exact result.
 * So the results are createTransfers' results, and every invariant above is
 * kept by the same writes under the same row locks.
 *
 * ## Concurrent calls share a statement (fast-path-queue.ts)
 *
 * Under load the cost per request is statements and commits, not rows. Each
 * Database has a queue per call: a call runs at once while fewer than two
 * batches are in flight; calls arriving meanwhile wait and go together (up to
 * 64) as ONE statement of migration 0012 — `ledger_create_holds` (set-based;
 * a declined hold simply returns no row and is decided alone) and
 * `ledger_resolve_holds` (all or nothing with every settlement's companion as
 * its own WITH query; declined as a whole, each settlement is then decided
 * alone). Calls sharing a key (debit account, hold, transfer id) never share
 * a batch nor run in two batches at once, and batches lock account rows in id
 * order, so they cannot deadlock each other. At one request in flight nothing
 * waits: a lone call takes the one-item functions above.
 */
export { ACCOUNT_KINDS, isConstrained, type AccountKind } from "./accounts.js";
export { ACCOUNT_ID_PREFIXES, PLATFORM_ACCOUNTS, accountIds, type PlatformAccountId } from "./registry/account-ids.js";
export { TRANSFER_CODES, type TransferCode } from "./registry/transfer-codes.js";
export { ensureAccount, type EnsureAccountInput, type EnsureAccountResult } from "./ensure-account.js";
export {
  createTransfer,
  createTransfers,
  postPending,
  voidPending,
  type CreateTransfersOptions,
} from "./create-transfers.js";
export { createHold } from "./create-hold.js";
export {
  createTransfersWithCompanion,
  resolveHold,
  settleHold,
  type CompanionWrite,
  type ResolveHoldOptions,
  type SettledHold,
} from "./resolve-hold.js";
export { writeReadingAvailable } from "./write-reading-available.js";
export { expirePendingTransfers, type ExpireOptions, type ExpireResult } from "./expire-pending-transfers.js";
export {
  applyDeferredBalances,
  type ApplyDeferredOptions,
  type ApplyDeferredResult,
} from "./apply-deferred-balances.js";
export { getBalance, type Balance } from "./get-balance.js";
export { listTransfers, type ListTransfersOptions } from "./list-transfers.js";
export {
  reconcile,
  type AccountMismatch,
  type BalanceColumn,
  type NegativeAccount,
  type PendingProblem,
  type ReconcileReport,
} from "./reconcile.js";
export type { JsonObject, JsonValue, Transfer, TransferKind } from "./transfer.js";
export {
  EXPIRE_ID_PREFIX,
  LIMITS,
  type PendingTransferInput,
  type PostPendingInput,
  type PostedTransferInput,
  type TransferInput,
  type VoidPendingInput,
} from "./transfer-input.js";
export type {
  CreateTransferResult,
  CreateTransferResultCode,
  PostPendingResult,
  RefusalCode,
  VoidPendingResult,
} from "./transfer-result.js";
