import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { buildApi } from "@modelfaucet/api";
import { createSecretKeyring } from "@modelfaucet/crypto";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { buildGateway, type GatewayReliabilityOptions, type GatewayTracingOptions } from "@modelfaucet/gateway";
import { startMockUpstream, type MockUpstream } from "@modelfaucet/providers";
import type { Redis } from "@modelfaucet/server-kit";
import { captureLogger, testConfig } from "@modelfaucet/server-kit/testing";
import { insertProviderKey, newProviderKeyId, type NewProviderKey } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";
import OpenAI from "openai";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
export const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";

/**
 * API and Gateway on real ports over a fresh database, with two mock
 * upstreams: `platform` serves the platform pool (provider "mock"), `byok`
 * stands for a user's own OpenAI-compatible endpoint and accepts only
 * `byokKey`. Both services log into `logLines`, to grep for leaked keys.
 */
export interface RoutingStack {
  database: TestDatabase;
  api: FastifyInstance;
  gateway: FastifyInstance;
  platform: MockUpstream;
  byok: MockUpstream;
  byokKey: string;
  apiUrl: string;
  gatewayUrl: string;
  logLines: string[];
  /** Every response body and header set the helpers saw, for the leak check. */
  transcript: string[];
  client(token: string): OpenAI;
  user(externalUserId: string, usd?: string): Promise<{ token: string; endUserId: string }>;
  /** A feature on the demo app with the given policy and pricing (demo defaults for the rest). */
  feature(featureKey: string, policy: Record<string, unknown>, pricing?: Record<string, unknown>): Promise<void>;
  /** Stores a BYOK key through `POST /v1/user/provider-keys`. */
  userKey(token: string, body: Record<string, unknown>): Promise<{ id: string }>;
  /** Stores a developer key for the demo developer, straight into the store. */
  developerKey(key: Partial<NewProviderKey> & { apiKey: string }): Promise<{ id: string }>;
  /** Stores a developer key for the second mock through the API (funding its budget as the API does); its id. */
  developerKeyThroughApi(budgetLimitUsd: string): Promise<string>;
  fetchApi(path: string, init?: { method?: string; token?: string; body?: unknown }): Promise<Response>;
  usageEvent(requestId: string): Promise<Record<string, unknown> | undefined>;
  wallet(token: string): Promise<{ balance_usd: string; held_usd: string }>;
  /** Whether the ledger reconciles to zero (GET /v1/admin/reconciliation/ledger). */
  reconciled(): Promise<boolean>;
  close(): Promise<void>;
}

const urlOf = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

export async function startRoutingStack(
  options: {
    reliability?: GatewayReliabilityOptions;
    byokKey?: string;
    redis?: Redis | undefined;
    /** Settings for the Gateway alone (OTEL_EXPORTER_OTLP_ENDPOINT), and its span processor. */
    gatewayEnv?: Record<string, string>;
    tracing?: GatewayTracingOptions;
  } = {},
): Promise<RoutingStack> {
  const database = await createTestDatabase();
  const byokKey = options.byokKey ?? `sk-byok-${randomBytes(12).toString("hex")}`;
  const platform = await startMockUpstream({ port: 0 });
  const byok = await startMockUpstream({ port: 0, apiKey: byokKey });
  const master = randomBytes(32);
  const env = {
    ADMIN_TOKEN,
    DEVELOPER_ADMIN_TOKEN,
    MOCK_UPSTREAM_URL: platform.url,
    SECRET_ENCRYPTION_KEY: master.toString("hex"),
    PROVIDER_ALLOW_PRIVATE_HOSTS: "127.0.0.1",
  };
  const captured = captureLogger("debug");
  const gateway = await buildGateway({
    config: testConfig({ ...env, ...options.gatewayEnv, LOG_LEVEL: "debug" }),
    db: database.db,
    logger: captured.logger,
    reliability: options.reliability,
    tracing: options.tracing,
    redis: options.redis,
  });
  await gateway.listen({ host: "127.0.0.1", port: 0 });
  const api = await buildApi({
    config: testConfig({ ...env, LOG_LEVEL: "debug", GATEWAY_PUBLIC_URL: `${urlOf(gateway)}/v1` }),
    db: database.db,
    logger: captured.logger,
    redis: options.redis,
    validateProviderKey: async () => ({ ok: true }),
  });
  await api.listen({ host: "127.0.0.1", port: 0 });
  const apiUrl = urlOf(api);
  const transcript: string[] = [];

  async function fetchApi(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
    const response = await fetch(`${apiUrl}${path}`, {
      method: init.method ?? "GET",
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.clone().text();
    transcript.push(text, JSON.stringify([...response.headers]));
    return response;
  }

  const stack: RoutingStack = {
    database,
    api,
    gateway,
    platform,
    byok,
    byokKey,
    apiUrl,
    gatewayUrl: urlOf(gateway),
    logLines: captured.lines,
    transcript,
    fetchApi,
    client: (token) => new OpenAI({ baseURL: `${stack.gatewayUrl}/v1`, apiKey: token, maxRetries: 0 }),
    async user(externalUserId, usd) {
      const minted = await fetchApi("/v1/sessions", {
        method: "POST",
        body: { public_app_id: "app_demo", external_user_id: externalUserId },
      });
      if (!minted.ok) throw new Error(`session: ${minted.status}`);
      const { session_token: token } = (await minted.json()) as { session_token: string };
      const wallet = (await (await fetchApi("/v1/user/wallet", { token })).json()) as { wallet_id: string };
      if (usd) {
        const credited = await fetch(`${apiUrl}/v1/admin/wallets/${wallet.wallet_id}/credit-test-balance`, {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify({ amount_usd: usd }),
        });
        if (!credited.ok) throw new Error(`credit: ${credited.status}`);
      }
      return { token, endUserId: wallet.wallet_id };
    },
    async feature(featureKey, policy, pricing = {}) {
      await database.db.query(
        `INSERT INTO app_features (app_id, feature_key, display_name, policy, pricing) VALUES ('app_demo', $1, $1, $2, $3)`,
        [
          featureKey,
          JSON.stringify({ default_model: "mock-small", max_output_tokens: 1024, ...policy }),
          JSON.stringify({
            mode: "usage_markup",
            markup_percent: 30,
            channel_share_bps: 4000,
            byok_gateway_fee_usd: "0.00000000",
            ...pricing,
          }),
        ],
      );
    },
    async userKey(token, body) {
      const response = await fetchApi("/v1/user/provider-keys", { method: "POST", token, body });
      if (response.status !== 201) throw new Error(`user key: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string };
    },
    async developerKeyThroughApi(budgetLimitUsd) {
      const stored = await stack.fetchApi("/v1/developer/provider-keys", {
        method: "POST",
        token: DEVELOPER_ADMIN_TOKEN,
        body: {
          developer_id: "dev_demo",
          provider: "openai_compatible",
          api_key: byokKey,
          base_url: `${byok.url}/v1`,
          budget_limit_usd: budgetLimitUsd,
        },
      });
      if (stored.status !== 201) throw new Error(`storing a developer key: ${stored.status} ${await stored.text()}`);
      return ((await stored.json()) as { id: string }).id;
    },

    async developerKey(key) {
      const owner = { kind: "developer", developerId: "dev_demo" } as const;
      const id = newProviderKeyId(owner);
      const keyring = createSecretKeyring(master, []);
      await insertProviderKey(
        database.db,
        owner,
        id,
        {
          provider: "openai_compatible",
          baseUrl: `${byok.url}/v1`,
          modelsAllowed: null,
          budgetLimitUnits: null,
          priority: 0,
          fallbackToPlatform: false,
          ...key,
        },
        keyring.current,
      );
      return { id };
    },
    async usageEvent(requestId) {
      const { rows } = await database.db.query<Record<string, unknown>>(
        "SELECT * FROM usage_events WHERE request_id = $1",
        [requestId],
      );
      return rows[0];
    },
    async wallet(token) {
      return (await (await fetchApi("/v1/user/wallet", { token })).json()) as { balance_usd: string; held_usd: string };
    },
    async reconciled() {
      const response = await fetchApi("/v1/admin/reconciliation/ledger", { token: ADMIN_TOKEN });
      return ((await response.json()) as { ok: boolean }).ok;
    },
    async close() {
      await Promise.all([api.close(), gateway.close()]);
      await Promise.all([platform.close(), byok.close()]);
      await database.db.close();
    },
  };
  return stack;
}
