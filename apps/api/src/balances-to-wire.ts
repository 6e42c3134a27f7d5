import type { AccountBalance } from "@modelfaucet/billing";
import { formatUsd } from "@modelfaucet/core";

/** An account's balances as the API prints them (wallets after a movement, `GET /v1/user/wallet`). */
export function balancesToWire({ balance, held, available }: AccountBalance) {
  return { balance_usd: formatUsd(balance), held_usd: formatUsd(held), available_usd: formatUsd(available) };
}
