import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bridgeConfig, startBridge, type BridgeHandle } from "@modelfaucet/bridge";
import { startFakeLocalServer, type FakeLocalServer } from "@modelfaucet/bridge/testing";
import { DEMO, type Database } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import type { SessionGrant } from "@modelfaucet/sdk";
import { DEVELOPER_ADMIN_TOKEN, startRevenueStack, type RevenueStack } from "./revenue-stack.js";

/** What `local_paid` charges per local call. */
export const LOCAL_FEE_USD = "0.01000000";
/** The bridge's id of the fake Ollama's model. */
export const LOCAL_MODEL = "ollama/qwen2.5:7b";

/** Features added to the demo app, by key: their route_preference and local fee. */
const FEATURES = {
  local_paid: { routes: ["local", "platform_pool"], fee: LOCAL_FEE_USD },
  local_free: { routes: ["local"], fee: "0.00000000" },
  cloud_only: { routes: ["platform_pool"], fee: LOCAL_FEE_USD },
} as const;

export type LocalFeature = keyof typeof FEATURES;

/**
 * The API and Gateway on real ports over a database of their own
 * (startRevenueStack, `env` layered on), the demo app with the features
 * above, and a real Local Bridge in this process in front of a fake Ollama,
 * reporting to that API.
 */
export interface LocalBridgeStack {
  db: Database;
  stack: RevenueStack;
  bridge: BridgeHandle;
  bridgeUrl: string;
  ollama: FakeLocalServer;
  /** A session of `externalUserId` on the demo app (under `feature`, if given), its wallet credited with `usd`. */
  user(externalUserId: string, usd?: string, feature?: LocalFeature): Promise<{ token: string; grant: SessionGrant }>;
  /** `POST /v1/local/tickets` with the session. */
  ticket(token: string, body?: Record<string, unknown>): Promise<Response>;
  /** `POST /v1/usage/local-report` as the bridge sends it. */
  report(ticket: string, body: Record<string, unknown>): Promise<Response>;
  /** A chat call to the bridge with a ticket, as the SDK makes it. */
  callBridge(ticket: string, requestId: string, body?: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

export async function startLocalBridgeStack(env: Record<string, string> = {}): Promise<LocalBridgeStack> {
  const { db } = await createTestDatabase();
  const stack = await startRevenueStack(db, env);
  for (const [featureKey, { routes, fee }] of Object.entries(FEATURES)) {
    const created = await fetch(`${stack.apiUrl}/v1/developer/apps/${DEMO.appId}/features`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        feature_key: featureKey,
        display_name: featureKey,
        policy: { route_preference: routes, default_model: "mock-small", max_output_tokens: 256 },
        pricing: {
          mode: "usage_markup",
          markup_percent: 30,
          channel_share_bps: 4000,
          byok_gateway_fee_usd: "0.00000000",
          local_fee_usd: fee,
        },
      }),
    });
    if (!created.ok) throw new Error(`feature ${featureKey}: ${created.status} ${await created.text()}`);
  }
  const ollama = await startFakeLocalServer("ollama");
  const dataDir = await mkdtemp(join(tmpdir(), "local-bridge-stack-"));
  const closed = new URL("http://127.0.0.1:9");
  const bridge = await startBridge(
    bridgeConfig({
      port: 0,
      hosts: ["127.0.0.1"],
      upstreams: [
        { kind: "ollama", url: new URL(ollama.url) },
        { kind: "llama_cpp", url: closed },
        { kind: "lm_studio", url: closed },
        { kind: "vllm", url: closed },
      ],
      dataDir,
      apiUrl: new URL(stack.apiUrl),
    }),
  );
  const bridgeUrl = bridge.urls[0]!;
  const post = (url: string, headers: Record<string, string>, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  return {
    db,
    stack,
    bridge,
    bridgeUrl,
    ollama,
    async user(externalUserId, usd, feature) {
      const minted = await post(
        `${stack.apiUrl}/v1/sessions`,
        {},
        {
          public_app_id: DEMO.appId,
          external_user_id: externalUserId,
          ...(feature ? { feature_key: feature } : {}),
        },
      );
      if (!minted.ok) throw new Error(`session: ${minted.status} ${await minted.text()}`);
      const session = (await minted.json()) as Record<string, unknown>;
      const token = session.session_token as string;
      if (usd) {
        const { wallet_id: walletId } = await stack.wallet(token);
        const credited = await stack.admin("POST", `/v1/admin/wallets/${walletId}/credit-test-balance`, {
          amount_usd: usd,
        });
        if (!credited.ok) throw new Error(`credit: ${credited.status} ${await credited.text()}`);
      }
      const grant: SessionGrant = {
        token,
        expiresAt: Date.now() + (session.expires_in as number) * 1000,
        gatewayBaseUrl: session.gateway_base_url as string,
        availableModes: session.available_modes as SessionGrant["availableModes"],
        walletBalanceUsd: session.wallet_balance_usd as string,
      };
      return { token, grant };
    },
    ticket: (token, body = {}) => post(`${stack.apiUrl}/v1/local/tickets`, { authorization: `Bearer ${token}` }, body),
    report: (ticket, body) =>
      post(`${stack.apiUrl}/v1/usage/local-report`, { authorization: `Bearer ${ticket}` }, body),
    callBridge: (ticket, requestId, body) =>
      post(
        `${bridgeUrl}/v1/chat/completions`,
        { "x-modelfaucet-ticket": ticket, "x-request-id": requestId },
        body ?? { model: LOCAL_MODEL, messages: [{ role: "user", content: "Summarize the thread" }] },
      ),
    async close() {
      await bridge.close();
      await Promise.all([stack.close(), ollama.close()]);
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
