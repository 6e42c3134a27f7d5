import { AppError, formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { getBalance } from "@modelfaucet/ledger";

/**
 * The 402 for a hold that did not fit on `accountId`: it says how much the
 * request needed held (`needed_usd`) and what the account has available
 * (`available_usd`, read after the refusal — information for the caller,
 * never part of the decision).
 */
export async function shortfall(
  q: Queryable,
  code: "insufficient_balance" | "budget_exceeded",
  message: string,
  accountId: string,
  neededUnits: bigint,
): Promise<AppError> {
  const needed = formatUsd(neededUnits);
  const available = formatUsd((await getBalance(q, accountId))?.available ?? 0n);
  return new AppError(code, `${message} This request needs up to ${needed} USD held; ${available} USD is available.`, {
    details: { needed_usd: needed, available_usd: available },
  });
}
