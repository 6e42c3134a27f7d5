import { createFaucet } from "@modelfaucet/sdk";
import { createSessionMinter } from "@modelfaucet/sdk/server";
import type { CrmApp } from "./seed-crm-app.js";

/** A money string ("12.34000000") as integer units of 1e-8 USD. */
const units = (usd: string) => BigInt(usd.replace(".", ""));

/**
 * Gives the CRM user's wallet test credit (the operator's
 * `credit-test-balance`, no payment) when it holds less than `belowUsd`,
 * so every run of the demo starts with something to spend. Returns what
 * the wallet has available afterwards.
 */
export async function fundDemoWallet(options: {
  apiUrl: string;
  adminToken: string;
  app: CrmApp;
  externalUserId: string;
  belowUsd: string;
  creditUsd: string;
}): Promise<string> {
  const minter = createSessionMinter({ secretKey: options.app.secretKey, apiBaseUrl: options.apiUrl });
  const user = createFaucet({
    apiBaseUrl: options.apiUrl,
    getSession: () => minter.mint({ publicAppId: options.app.publicAppId, externalUserId: options.externalUserId }),
  });
  const wallet = await user.wallet.get();
  if (units(wallet.available_usd) >= units(options.belowUsd)) return wallet.available_usd;
  const credited = await fetch(`${options.apiUrl}/v1/admin/wallets/${wallet.wallet_id}/credit-test-balance`, {
    method: "POST",
    headers: { authorization: `Bearer ${options.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ amount_usd: options.creditUsd }),
  });
  if (!credited.ok) throw new Error(`crediting the demo wallet: ${credited.status} ${await credited.text()}`);
  return (await user.wallet.get()).available_usd;
}
