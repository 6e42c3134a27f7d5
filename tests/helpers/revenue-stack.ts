import type { AddressInfo } from "node:net";
import type { Database } from "@modelfaucet/db";
import { startMockUpstream, type MockUpstream } from "@modelfaucet/providers";
import type { Logger } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import OpenAI from "openai";
import { ADMIN_TOKEN, testApi, testGateway } from "./services.js";

export const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";

/** API and Gateway on real ports over one database, with the mock provider behind the Gateway. */
export interface RevenueStack {
  api: FastifyInstance;
  gateway: FastifyInstance;
  mock: MockUpstream;
  apiUrl: string;
  gatewayUrl: string;
  /** Mints a session for `externalUserId` on the demo app and credits its wallet with `usd` (if given). */
  user(externalUserId: string, usd?: string): Promise<{ token: string; walletId: string }>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** The official openai client on the Gateway, with a session as its key and no retries. */
  client(token: string): OpenAI;
  wallet(token: string): Promise<{ wallet_id: string; balance_usd: string; held_usd: string; available_usd: string }>;
  /** Whether the ledger reconciles to zero. */
  reconciled(): Promise<boolean>;
  /** The usage events recorded under an x-request-id. */
  usageOf(requestId: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** A `"12.34567800"` money string as units of 1e-8 USD. */
export const units = (usd: string): bigint => BigInt(usd.replace(".", ""));

const urlOf = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

export async function startRevenueStack(
  db: Database,
  env: Record<string, string> = {},
  extra: { logger?: Logger } = {},
): Promise<RevenueStack> {
  const mock = await startMockUpstream({ port: 0 });
  const shared = { MOCK_UPSTREAM_URL: mock.url, DEVELOPER_ADMIN_TOKEN, ...env };
  const gateway = await testGateway(db, shared, extra);
  await gateway.listen({ host: "127.0.0.1", port: 0 });
  const api = await testApi(db, { ...shared, GATEWAY_PUBLIC_URL: `${urlOf(gateway)}/v1` }, extra);
  await api.listen({ host: "127.0.0.1", port: 0 });
  const apiUrl = urlOf(api);

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  return {
    api,
    gateway,
    mock,
    apiUrl,
    gatewayUrl: urlOf(gateway),
    admin,
    async user(externalUserId, usd) {
      const minted = await fetch(`${apiUrl}/v1/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ public_app_id: "app_demo", external_user_id: externalUserId }),
      });
      if (!minted.ok) throw new Error(`session: ${minted.status} ${await minted.text()}`);
      const { session_token: token } = (await minted.json()) as { session_token: string };
      const wallet = await fetch(`${apiUrl}/v1/user/wallet`, { headers: { authorization: `Bearer ${token}` } });
      const { wallet_id: walletId } = (await wallet.json()) as { wallet_id: string };
      if (usd) {
        const credited = await admin("POST", `/v1/admin/wallets/${walletId}/credit-test-balance`, { amount_usd: usd });
        if (!credited.ok) throw new Error(`credit: ${credited.status} ${await credited.text()}`);
      }
      return { token, walletId };
    },
    client: (token) => new OpenAI({ baseURL: `${urlOf(gateway)}/v1`, apiKey: token, maxRetries: 0 }),
    async wallet(token) {
      const response = await fetch(`${apiUrl}/v1/user/wallet`, { headers: { authorization: `Bearer ${token}` } });
      return (await response.json()) as Awaited<ReturnType<RevenueStack["wallet"]>>;
    },
    async reconciled() {
      return ((await (await admin("GET", "/v1/admin/reconciliation/ledger")).json()) as { ok: boolean }).ok;
    },
    async usageOf(requestId) {
      const { rows } = await db.query<Record<string, unknown>>("SELECT * FROM usage_events WHERE request_id = $1", [
        requestId,
      ]);
      return rows;
    },
    async close() {
      await Promise.all([api.close(), gateway.close()]);
      await mock.close();
    },
  };
}
