import { formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { ensureAccount, getBalance, userAccountId } from "@modelfaucet/ledger";

/** Opens the end user's wallet (a constrained ledger account) if it does not exist yet. */
export async function openWallet(q: Queryable, endUserId: string): Promise<void> {
  const { result } = await ensureAccount(q, { id: userAccountId(endUserId), kind: "end_user", ownerId: endUserId });
  if (result !== "created" && result !== "exists") throw new Error(`could not open wallet of ${endUserId}: ${result}`);
}

/** A wallet's posted balance, held amount and what is still available, as units. */
export async function walletBalance(q: Queryable, endUserId: string) {
  const balance = await getBalance(q, userAccountId(endUserId));
  return {
    balance: balance?.balance ?? 0n,
    held: balance?.debitsPending ?? 0n,
    available: balance?.available ?? 0n,
  };
}

export async function walletBalanceUsd(q: Queryable, endUserId: string): Promise<string> {
  return formatUsd((await walletBalance(q, endUserId)).balance);
}
