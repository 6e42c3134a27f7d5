import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApi } from "@modelfaucet/api";
import { DEMO, migrate, openDatabase, seed } from "@modelfaucet/db";
import { buildGateway } from "@modelfaucet/gateway";
import { startMockUpstream } from "@modelfaucet/providers";
import { createLogger, loadConfig } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";

const say = (line: string) => process.stdout.write(`${line}\n`);

async function call(url: string, init: RequestInit & { json?: unknown } = {}) {
  const response = await fetch(url, {
    ...init,
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    headers: { ...(init.json === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url} answered ${response.status}: ${text}`);
  return { response, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/**
 * `modelfaucet smoke` (`pnpm smoke:local`): the whole revenue loop once —
 * session, completion, stream, usage event, transfers, reconciliation — on
 * DATABASE_URL, on MODELFAUCET_DATA_DIR, or on a fresh temporary embedded
 * database. Exits non-zero at the first step that fails.
 */
export async function smokeCommand(): Promise<void> {
  const temporary = !process.env.DATABASE_URL && !process.env.MODELFAUCET_DATA_DIR;
  const dataDir = temporary ? mkdtempSync(join(tmpdir(), "modelfaucet-smoke-")) : undefined;
  const adminToken = `smoke_${randomBytes(24).toString("hex")}`;
  const mock = await startMockUpstream({ port: 0 });
  const config = loadConfig({
    ...process.env,
    ...(dataDir ? { MODELFAUCET_DATA_DIR: dataDir } : {}),
    ADMIN_TOKEN: adminToken,
    DEVELOPER_ADMIN_TOKEN: adminToken,
    MOCK_UPSTREAM_URL: mock.url,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  const logger = createLogger({ level: config.LOG_LEVEL });
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.MODELFAUCET_DATA_DIR });
  const apps: FastifyInstance[] = [];
  try {
    await migrate(db);
    await seed(db);
    say(`database: ${db.kind} — migrated and seeded`);
    const gateway = await buildGateway({ config, db, logger });
    const api = await buildApi({ config, db, logger });
    apps.push(gateway, api);
    for (const app of apps) await app.listen({ host: "127.0.0.1", port: 0 });
    const [gatewayUrl, apiUrl] = apps.map((app) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
    const admin = { authorization: `Bearer ${adminToken}` };

    const session = (
      await call(`${apiUrl}/v1/sessions`, {
        method: "POST",
        json: { public_app_id: DEMO.appId, external_user_id: `smoke-${Date.now()}` },
      })
    ).json();
    const auth = { authorization: `Bearer ${String(session.session_token)}` };
    const wallet = (await call(`${apiUrl}/v1/user/wallet`, { headers: auth })).json();
    say(`session: minted for wallet ${String(wallet.wallet_id)}`);
    await call(`${apiUrl}/v1/admin/wallets/${String(wallet.wallet_id)}/credit-test-balance`, {
      method: "POST",
      headers: admin,
      json: { amount_usd: "1.00" },
    });
    say("wallet: credited 1.00000000 USD");

    const chat = { model: "mock-small", messages: [{ role: "user", content: "Say hello." }] };
    const completion = (
      await call(`${gatewayUrl}/v1/chat/completions`, { method: "POST", headers: auth, json: chat })
    ).json();
    const block = completion.modelfaucet as { request_id: string; price_usd: string };
    say(`chat: completed, price ${block.price_usd} USD, request ${block.request_id}`);

    const streamed = await call(`${gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: auth,
      json: { ...chat, stream: true, stream_options: { include_usage: true } },
    });
    if (!streamed.text.includes("data: [DONE]")) throw new Error("the stream did not end with [DONE]");
    say("stream: completed with a usage chunk and [DONE]");

    const usage = (await call(`${apiUrl}/v1/apps/${DEMO.appId}/usage?limit=10`, { headers: admin })).json();
    const items = usage.items as Array<{ request_id: string }>;
    if (!items.some((item) => item.request_id === block.request_id)) throw new Error("the usage event is missing");
    say(`usage: ${items.length} recent events listed, the completion among them`);

    const after = (await call(`${apiUrl}/v1/user/wallet`, { headers: auth })).json();
    const recent = after.recent as unknown[];
    if (after.held_usd !== "0.00000000" || recent.length < 3)
      throw new Error(`unexpected wallet: ${JSON.stringify(after)}`);
    say(`transfers: wallet balance ${String(after.balance_usd)} USD, nothing held, ${recent.length} movements`);

    const report = (await call(`${apiUrl}/v1/admin/reconciliation/ledger`, { headers: admin })).json();
    if (report.ok !== true) throw new Error(`reconciliation failed: ${JSON.stringify(report)}`);
    say(`reconciliation: zero (${String(report.accounts)} accounts, ${String(report.transfers)} transfers)`);
    say("smoke: ok");
  } finally {
    for (const app of apps) await app.close();
    await db.close();
    await mock.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
