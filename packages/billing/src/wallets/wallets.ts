// Wallets and developer accounts as their owners see them. Invariant:
// available = balance − held ≥ 0 on every wallet and developer account
// (the ledger's constrained accounts).
import { formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { accountIds, ensureAccount, getBalance } from "@modelfaucet/ledger";

/** An account's money as units: available = balance − held, never below 0 on a wallet or a developer account. */
export interface AccountBalance {
  /** Posted: credits − debits. */
  balance: bigint;
  /** What open holds reserve (requests in flight, a payout under review). */
  held: bigint;
  available: bigint;
}

/** Opens the end user's wallet (a constrained ledger account) if it does not exist yet. */
export async function openWallet(q: Queryable, endUserId: string): Promise<void> {
  const { result } = await ensureAccount(q, { id: accountIds.user(endUserId), kind: "end_user", ownerId: endUserId });
  if (result !== "created" && result !== "exists") throw new Error(`could not open wallet of ${endUserId}: ${result}`);
}

/** An end user's wallet; all 0 when it was never opened. */
export function walletBalance(q: Queryable, endUserId: string): Promise<AccountBalance> {
  return balanceOf(q, accountIds.user(endUserId));
}

/** What a developer has earned and not been paid out; all 0 before its first settlement. */
export function developerBalance(q: Queryable, developerId: string): Promise<AccountBalance> {
  return balanceOf(q, accountIds.developer(developerId));
}

async function balanceOf(q: Queryable, accountId: string): Promise<AccountBalance> {
  const balance = await getBalance(q, accountId);
  return {
    balance: balance?.balance ?? 0n,
    held: balance?.debitsPending ?? 0n,
    available: balance?.available ?? 0n,
  };
}

export async function walletBalanceUsd(q: Queryable, endUserId: string): Promise<string> {
  return formatUsd((await walletBalance(q, endUserId)).balance);
}
