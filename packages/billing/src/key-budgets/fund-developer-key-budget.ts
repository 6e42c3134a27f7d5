// Funding of a developer key's budget account. Invariant, per key: Σ its
// funding transfers (fund − unfund) = its budget_funded_units, which = its
// limit (0 for none or a revoked key) except where lowering found the
// difference already spent or held.
import { AppError } from "@modelfaucet/core";
import type { Database, Queryable } from "@modelfaucet/db";
import {
  accountIds,
  applyDeferredBalances,
  createTransfer,
  ensureAccount,
  getBalance,
  PLATFORM_ACCOUNTS,
  TRANSFER_CODES,
  type PostedTransferInput,
} from "@modelfaucet/ledger";

const SOURCE = PLATFORM_ACCOUNTS.externalFunding;

/** What a funding change did: units moved into (+) or out of (−) the key's budget account. */
export interface BudgetFunding {
  movedUnits: bigint;
}

interface BudgetRow {
  developer_id: string;
  budget_limit_units: string | null;
  budget_funded_units: string;
  budget_version: number;
  revoked: boolean;
}

/** The funding transfer of a key's budget version: a retried change of the key moves nothing twice. */
const budgetTransferId = (keyId: string, version: number) => `budget:${keyId}:${version}`;

/**
 * Brings a developer key's budget account to its limit (0 for no limit or a
 * revoked key) by one ledger transfer from or to platform:external_funding.
 * Call it inside the transaction that changed the key: the key row is locked,
 * and the transfer and the key's `budget_funded_units` / `budget_version`
 * commit together with the change, or not at all. The transfer id is
 * `budget:<key id>:<version>`, so a retried change moves nothing twice.
 *
 * Lowering returns only what is not already spent or held: a limit below
 * that leaves the account empty, and what the open holds do not use flows
 * back into it when they settle (see apps/gateway/src/routing/README.md).
 */
export async function fundDeveloperKeyBudget(tx: Queryable, keyId: string, requestId: string): Promise<BudgetFunding> {
  const { rows } = await tx.query<BudgetRow>(
    `SELECT developer_id, budget_limit_units::text, budget_funded_units::text, budget_version,
            revoked_at IS NOT NULL AS revoked
     FROM developer_provider_keys WHERE id = $1 FOR UPDATE`,
    [keyId],
  );
  const row = rows[0];
  if (!row) throw new Error(`developer key ${keyId} vanished inside its own transaction`);
  const target = row.revoked || row.budget_limit_units === null ? 0n : BigInt(row.budget_limit_units);
  const funded = BigInt(row.budget_funded_units);
  if (target === funded) return { movedUnits: 0n };
  const account = accountIds.keyBudget(keyId);
  await ensureAccount(tx, { id: account, kind: "developer", ownerId: row.developer_id });
  const moved = target > funded ? target - funded : -(await returnable(tx, account, funded - target));
  if (moved === 0n) return { movedUnits: 0n };
  const version = row.budget_version + 1;
  const transfer: PostedTransferInput = {
    kind: "posted",
    id: budgetTransferId(keyId, version),
    debitAccountId: moved > 0n ? SOURCE : account,
    creditAccountId: moved > 0n ? account : SOURCE,
    amount: moved > 0n ? moved : -moved,
    code: moved > 0n ? TRANSFER_CODES.keyBudgetFund : TRANSFER_CODES.keyBudgetUnfund,
    requestId,
  };
  const result = await createTransfer(tx, transfer);
  if (result.result === "exceeds_credits") {
    // Funding not yet folded into the account row (deferred credits): the next try succeeds.
    throw new AppError("conflict", "The key's budget is still being funded; try again in a moment.", {
      retryable: true,
    });
  }
  if (result.result !== "created") throw new Error(`ledger refused the budget transfer: ${result.result}`);
  await tx.query(`UPDATE developer_provider_keys SET budget_funded_units = $2, budget_version = $3 WHERE id = $1`, [
    keyId,
    (funded + moved).toString(),
    version,
  ]);
  return { movedUnits: moved };
}

/** Up to `wanted` units, but no more than the account has neither spent nor held. */
async function returnable(tx: Queryable, account: string, wanted: bigint): Promise<bigint> {
  const available = (await getBalance(tx, account))?.available ?? 0n;
  if (available <= 0n) return 0n;
  return available < wanted ? available : wanted;
}

/** Most fold rounds after a funding: bounded, the worker folds whatever is left. */
const MAX_FOLD_ROUNDS = 10;
const FOLD_BATCH = 10_000;

/**
 * Makes a budget just funded spendable now. Credits to a developer-kind
 * account are deferred (ledger_balance_deltas) and count toward its
 * overdraft check only once folded; the worker folds them within its
 * interval, this saves the wait. Another folder at work (busy) will fold
 * them too, so it stops there.
 */
export async function foldFundedBudget(db: Database, funding: BudgetFunding): Promise<void> {
  if (funding.movedUnits <= 0n) return;
  for (let round = 0; round < MAX_FOLD_ROUNDS; round++) {
    const { deltas, busy } = await applyDeferredBalances(db, { limit: FOLD_BATCH });
    if (busy || deltas < FOLD_BATCH) return;
  }
}
