import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyTestDatabase, testDatabaseTemplate, withDatabaseName } from "@modelfaucet/db/testing";
import { startMockUpstream, type MockUpstream } from "@modelfaucet/providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, spawnEntry, stop, waitForStatus, type Spawned } from "./helpers/processes.js";

type Fields = Record<string, string>;

const workDir = mkdtempSync(join(tmpdir(), "modelfaucet-crash-"));
let mock: MockUpstream;
let env: Record<string, string>;
const running: Spawned[] = [];

beforeAll(async () => {
  mock = await startMockUpstream({ port: 0 });
  mock.setBehavior({ chunkCount: 50, chunkDelayMs: 100, replyTokens: 500 });
  env = {
    PORT_API: String(await freePort()),
    PORT_GATEWAY: String(await freePort()),
    MODELFAUCET_DATA_DIR: join(workDir, "data"),
    MOCK_UPSTREAM_URL: mock.url,
    HOLD_TIMEOUT_SECONDS: "2",
    WORKER_INTERVAL_MS: "200",
  };
  const template = testDatabaseTemplate();
  if (template.kind === "postgres") {
    env.DATABASE_URL = withDatabaseName(template.adminUrl, await createEmptyTestDatabase(template));
  }
});
afterAll(async () => {
  await Promise.all(running.map(stop));
  await mock.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function boot(): Promise<{ api: string; gateway: string; admin: Record<string, string> }> {
  const process = spawnEntry("apps/cli/src/main.ts", ["start"], env);
  running.push(process);
  const api = `http://127.0.0.1:${env.PORT_API}`;
  await waitForStatus(`${api}/ready`, 200);
  await waitForStatus(`http://127.0.0.1:${env.PORT_GATEWAY}/ready`, 200);
  const token = readFileSync(join(env.MODELFAUCET_DATA_DIR!, "admin-token"), "utf8").trim();
  return { api, gateway: `http://127.0.0.1:${env.PORT_GATEWAY}`, admin: { authorization: `Bearer ${token}` } };
}

describe("kill -9 of the gateway mid-stream", () => {
  it("leaves no hold open once the worker has run, charges at most what was held, and reconciles to zero", async () => {
    let { api, gateway, admin } = await boot();
    const session = (await (
      await fetch(`${api}/v1/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ public_app_id: "app_demo", external_user_id: "crash-victim" }),
      })
    ).json()) as Fields;
    const auth = { authorization: `Bearer ${session.session_token}` };
    const { wallet_id } = (await (await fetch(`${api}/v1/user/wallet`, { headers: auth })).json()) as Fields;
    await fetch(`${api}/v1/admin/wallets/${wallet_id}/credit-test-balance`, {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ amount_usd: "1.00" }),
    });

    const response = await fetch(`${gateway}/v1/chat/completions`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        model: "mock-small",
        messages: [{ role: "user", content: "A long story." }],
        stream: true,
      }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    const during = (await (await fetch(`${api}/v1/user/wallet`, { headers: auth })).json()) as Fields;
    expect(during.held_usd).not.toBe("0.00000000");

    const victim = running.pop()!;
    victim.child.kill("SIGKILL");
    await victim.exited;
    await reader.read().catch(() => undefined);

    ({ api, gateway, admin } = await boot());
    const deadline = Date.now() + 15_000;
    let wallet = (await (await fetch(`${api}/v1/user/wallet`, { headers: auth })).json()) as Fields;
    while (wallet.held_usd !== "0.00000000" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      wallet = (await (await fetch(`${api}/v1/user/wallet`, { headers: auth })).json()) as Fields;
    }
    expect(wallet.held_usd).toBe("0.00000000");
    expect(wallet.balance_usd).toBe("1.00000000");
    const report = await (await fetch(`${api}/v1/admin/reconciliation/ledger`, { headers: admin })).json();
    expect(report).toMatchObject({ ok: true, totals: { debits_pending_usd: "0.00000000" } });
  });
});
