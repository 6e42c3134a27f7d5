import { buildApi } from "@modelfaucet/api";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { accountIds, getBalance } from "@modelfaucet/ledger";
import { createLogger } from "@modelfaucet/server-kit";
import { testConfig } from "@modelfaucet/server-kit/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, spawnEntry } from "./helpers/processes.js";
import { ADMIN_TOKEN } from "./helpers/services.js";

/** `pnpm stripe:webhook:replay` finds the API where HOST and PORT_API put it, or at --url. */

const STRIPE_WEBHOOK_SECRET = "whsec_test_replay_0123456789";

let database: TestDatabase;
let api: FastifyInstance;
let port: number;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await buildApi({
    config: testConfig({ ADMIN_TOKEN, STRIPE_WEBHOOK_SECRET }),
    db: database.db,
    logger: createLogger({ level: "silent" }),
  });
  port = await freePort();
  await api.listen({ host: "127.0.0.1", port });
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

async function newWallet(externalUserId: string): Promise<string> {
  const minted = await api.inject({
    method: "POST",
    url: "/v1/sessions",
    payload: { public_app_id: "app_demo", external_user_id: externalUserId },
  });
  const token = minted.json<{ session_token: string }>().session_token;
  const wallet = await api.inject({ url: "/v1/user/wallet", headers: { authorization: `Bearer ${token}` } });
  return wallet.json<{ wallet_id: string }>().wallet_id;
}

async function replay(args: string[], env: Record<string, string>) {
  const run = spawnEntry("scripts/stripe-webhook-replay.ts", ["--", ...args, "--times", "1"], {
    STRIPE_WEBHOOK_SECRET,
    ...env,
  });
  return { code: await run.exited, output: run.output() };
}

const walletUsd = async (walletId: string) =>
  Number((await getBalance(database.db, accountIds.user(walletId)))?.balance ?? 0n) / 1e8;

describe("pnpm stripe:webhook:replay", () => {
  it("posts to the API at HOST (an all-interfaces one via loopback) and PORT_API", { timeout: 60_000 }, async () => {
    const walletId = await newWallet("replay-port");
    const run = await replay(["--wallet", walletId, "--amount", "7.00"], { HOST: "0.0.0.0", PORT_API: String(port) });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^200 .*"outcome":"credited"/m);
    expect(await walletUsd(walletId)).toBe(7);
  });

  it("posts to --url when given, whatever PORT_API says", { timeout: 60_000 }, async () => {
    const walletId = await newWallet("replay-url");
    const run = await replay(["--wallet", walletId, "--amount", "3.00", "--url", `http://127.0.0.1:${port}`], {
      PORT_API: "1",
    });
    expect(run.code, run.output).toBe(0);
    expect(await walletUsd(walletId)).toBe(3);
  });

  it("names a bad PORT_API and exits 2", { timeout: 60_000 }, async () => {
    const run = await replay(["--wallet", "usr_x"], { PORT_API: "not-a-port" });
    expect(run.code).toBe(2);
    expect(run.output).toContain("PORT_API");
  });
});
