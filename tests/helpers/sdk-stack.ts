import type { Database } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { createFaucet, type Faucet, type FaucetOptions, type SessionGrant } from "@modelfaucet/sdk";
import { createSessionMinter, type SessionMinter } from "@modelfaucet/sdk/server";
import { DEVELOPER_ADMIN_TOKEN, startRevenueStack, type RevenueStack } from "./revenue-stack.js";

/** Features of the signed app, by key: their route_preference. */
const FEATURES = {
  chat: ["platform_pool"],
  byok_first: ["end_user_byok", "platform_pool"],
  local_first: ["local", "platform_pool"],
} as const;

export type SdkFeature = keyof typeof FEATURES;

/**
 * The services on real ports (startRevenueStack, on a database of its own,
 * with `env` layered on their settings) and a `signed` app of the
 * demo developer whose backend mints sessions with its secret key, as an
 * app embedding the SDK does: `minter` is that backend, `user()` a browser.
 */
export interface SdkStack {
  stack: RevenueStack;
  db: Database;
  /** The usage event recorded under an x-request-id. */
  usageEvent(requestId: string): Promise<Record<string, unknown> | undefined>;
  publicAppId: string;
  secretKey: string;
  minter: SessionMinter;
  /** A browser of `externalUserId` whose getSession asks the app's backend (counted in `sessions`), its wallet credited with `usd`. */
  user(
    externalUserId: string,
    options?: { usd?: string; feature?: SdkFeature; maxRetries?: FaucetOptions["maxRetries"] },
  ): Promise<{ faucet: Faucet; sessions: SessionGrant[]; walletId: string }>;
  /** Stops the mock provider for good, as a crashed upstream. */
  killUpstream(): Promise<void>;
  close(): Promise<void>;
}

async function checked(response: Response, what: string) {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

export async function startSdkStack(env: Record<string, string> = {}): Promise<SdkStack> {
  const { db } = await createTestDatabase();
  const stack = await startRevenueStack(db, env);
  const asDeveloper = (path: string, body?: unknown) =>
    fetch(`${stack.apiUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
  const app = await checked(
    await asDeveloper("/v1/developer/apps", { developer_id: "dev_demo", name: "SDK app" }),
    "app",
  );
  const publicAppId = app.public_app_id as string;
  const key = await checked(await asDeveloper(`/v1/developer/apps/${publicAppId}/secret-keys`), "secret key");
  for (const [featureKey, routePreference] of Object.entries(FEATURES)) {
    const manifest = {
      feature_key: featureKey,
      display_name: featureKey,
      policy: { route_preference: routePreference, default_model: "mock-small", max_output_tokens: 256 },
      pricing: {
        mode: "usage_markup",
        markup_percent: 30,
        channel_share_bps: 4000,
        byok_gateway_fee_usd: "0.00000000",
      },
    };
    await checked(await asDeveloper(`/v1/developer/apps/${publicAppId}/features`, manifest), `feature ${featureKey}`);
  }
  const secretKey = key.secret_key as string;
  const minter = createSessionMinter({ secretKey, apiBaseUrl: stack.apiUrl });

  let upstreamKilled = false;
  return {
    stack,
    db,
    usageEvent: async (requestId) => (await stack.usageOf(requestId))[0],
    publicAppId,
    secretKey,
    minter,
    async user(externalUserId, { usd, feature = "chat", maxRetries } = {}) {
      const sessions: SessionGrant[] = [];
      const faucet = createFaucet({
        apiBaseUrl: stack.apiUrl,
        maxRetries,
        getSession: async () => {
          const grant = await minter.mint({ publicAppId, externalUserId, featureKey: feature });
          sessions.push(grant);
          return grant;
        },
      });
      const { wallet_id: walletId } = await faucet.wallet.get();
      if (usd) {
        const credited = await stack.admin("POST", `/v1/admin/wallets/${walletId}/credit-test-balance`, {
          amount_usd: usd,
        });
        await checked(credited, "credit");
      }
      return { faucet, sessions, walletId };
    },
    async killUpstream() {
      upstreamKilled = true;
      await stack.mock.close();
    },
    async close() {
      if (upstreamKilled) await Promise.all([stack.api.close(), stack.gateway.close()]);
      else await stack.close();
      await db.close();
    },
  };
}
