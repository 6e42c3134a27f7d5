// The worker and local tickets: a ticket never reported has its fee released
// once its grace period is over — not before — and its report is refused
// after that; a ticket reported in time stays charged, and a replay of its
// report still answers already_settled. Tickets here live 1 s, with 3 s of
// grace. Run on PostgreSQL too (TEST_DATABASE_URL=… TEST_REDIS_URL=…).
import { createLogger } from "@modelfaucet/server-kit";
import { startWorker } from "@modelfaucet/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LOCAL_FEE_USD,
  LOCAL_MODEL,
  startLocalBridgeStack,
  type LocalBridgeStack,
} from "./helpers/local-bridge-stack.js";

type Json = Record<string, unknown>;

const GRACE_SECONDS = 3;

let local: LocalBridgeStack;
let stopWorker: (() => Promise<void>) | undefined;
beforeAll(async () => {
  local = await startLocalBridgeStack({
    LOCAL_TICKET_TTL_SECONDS: "1",
    LOCAL_TICKET_GRACE_SECONDS: String(GRACE_SECONDS),
  });
});
afterAll(async () => {
  await stopWorker?.();
  await local?.close();
});

const report = (requestId: string) => ({
  request_id: requestId,
  model: LOCAL_MODEL,
  input_tokens: 10,
  output_tokens: 3,
  usage_source: "estimated",
});

async function ticketOf(token: string, featureKey: string): Promise<{ ticket: string; expiresAt: number }> {
  const granted = await local.ticket(token, { feature_key: featureKey });
  expect(granted.status).toBe(201);
  const body = (await granted.json()) as Json;
  return { ticket: body.ticket as string, expiresAt: Date.parse(body.expires_at as string) };
}

describe("the worker and unreported local tickets", () => {
  it("releases a ticket's fee after its grace period, and only a ticket that was never reported", async () => {
    const { token } = await local.user("release-me", "1.00");
    stopWorker = startWorker(local.db, createLogger({ level: "silent" }), { intervalMs: 100, batchSize: 100 });
    const unreported = await ticketOf(token, "local_paid");
    const reported = await ticketOf(token, "local_paid");
    const free = await ticketOf(token, "local_free");
    expect((await local.report(reported.ticket, report("req_release_reported"))).status).toBe(200);

    // Expired, but in its grace period: the worker leaves it held, and a report could still land.
    await sleepUntil(unreported.expiresAt + 200);
    expect(await local.stack.wallet(token)).toMatchObject({ balance_usd: "0.99000000", held_usd: LOCAL_FEE_USD });

    await waitFor(async () => (await local.stack.wallet(token)).held_usd === "0.00000000");
    expect(Date.now()).toBeGreaterThanOrEqual(unreported.expiresAt + GRACE_SECONDS * 1000);
    expect(await local.stack.wallet(token)).toMatchObject({
      balance_usd: "0.99000000",
      held_usd: "0.00000000",
      available_usd: "0.99000000",
    });

    // Too late: refused, and nothing is charged.
    const late = await local.report(unreported.ticket, report("req_release_late"));
    expect(late.status).toBe(401);
    expect(((await late.json()) as { error: Json }).error.code).toBe("unauthorized");
    expect(await local.stack.usageOf("req_release_late")).toHaveLength(0);
    // The bridge that never heard its answer may send the settled report again: still already_settled.
    const replay = await local.report(reported.ticket, report("req_release_reported"));
    expect(await replay.json()).toMatchObject({ result: "already_settled", price_usd: LOCAL_FEE_USD });
    expect(await local.stack.wallet(token)).toMatchObject({ balance_usd: "0.99000000", held_usd: "0.00000000" });

    await waitFor(async () => {
      const { rows } = await local.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM local_tickets WHERE closed_at IS NULL",
      );
      return rows[0]!.n === 0;
    });
    const { rows } = await local.db.query<{ feature_key: string; closed_as: string }>(
      "SELECT feature_key, closed_as FROM local_tickets ORDER BY created_at",
    );
    expect(rows).toEqual([
      { feature_key: "local_paid", closed_as: "released" },
      { feature_key: "local_paid", closed_as: "settled" },
      { feature_key: "local_free", closed_as: "released" },
    ]);
    expect((await local.report(free.ticket, report("req_release_free"))).status).toBe(401);
    expect(await local.stack.reconciled()).toBe(true);
  });
});

function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleepUntil(Date.now() + 50);
  }
}
