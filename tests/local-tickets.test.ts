// The `local` route's metering over HTTP, end to end: a ticket from the
// Control API holds the feature's local fee; a real Local Bridge (in this
// process, in front of a fake Ollama) proxies the call and reports its token
// counts against the ticket; the report settles the hold — exactly the fee,
// once — with a usage event that the user's history and the operator's
// reports show as route_mode `local`. Replays, unknown tickets, text fields,
// late reports, and many tickets on a small wallet. Run on PostgreSQL too:
// TEST_DATABASE_URL=… TEST_REDIS_URL=… pnpm vitest run tests/local-tickets.test.ts
import { eventually } from "@modelfaucet/bridge/testing";
import { errorEnvelopeSchema, localTicketSchema, localUsageReportResultSchema } from "@modelfaucet/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LOCAL_FEE_USD,
  LOCAL_MODEL,
  startLocalBridgeStack,
  type LocalBridgeStack,
} from "./helpers/local-bridge-stack.js";
import { units } from "./helpers/revenue-stack.js";

type Json = Record<string, unknown>;

/** Tickets expire a second after issue, so every report here lands in the grace period. */
const TTL_SECONDS = 1;

let local: LocalBridgeStack;
beforeAll(async () => {
  local = await startLocalBridgeStack({ LOCAL_TICKET_TTL_SECONDS: String(TTL_SECONDS) });
});
afterAll(async () => {
  await local?.close();
});

const report = (requestId: string, extra: Json = {}) => ({
  request_id: requestId,
  model: LOCAL_MODEL,
  input_tokens: 120,
  output_tokens: 48,
  usage_source: "upstream",
  ...extra,
});

async function ticketOf(token: string, body: Json = { feature_key: "local_paid" }): Promise<Json> {
  const granted = await local.ticket(token, body);
  expect(granted.status, await granted.clone().text()).toBe(201);
  return (await granted.json()) as Json;
}

const usageEvents = async (requestId: string) => local.stack.usageOf(requestId);

describe("a local call through the bridge", () => {
  it("holds the local fee on the ticket and charges exactly that once the bridge's report lands", async () => {
    const { token } = await local.user("local-flow", "1.00");
    const granted = await ticketOf(token, { feature_key: "local_paid", model: LOCAL_MODEL });
    expect(granted).toMatchObject({
      ticket: expect.stringMatching(/^mf_lt_[A-Za-z0-9_-]+$/),
      local_fee_usd: LOCAL_FEE_USD,
      feature_key: "local_paid",
      available_usd: "0.99000000",
    });
    expect(Date.parse(granted.expires_at as string)).toBeGreaterThan(Date.now());
    expect(await local.stack.wallet(token)).toMatchObject({ balance_usd: "1.00000000", held_usd: LOCAL_FEE_USD });
    // The ticket is stored only as its hash.
    const { rows } = await local.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM local_tickets WHERE token_hash = $1 OR id = $1",
      [granted.ticket],
    );
    expect(rows[0]!.n).toBe(0);

    const requestId = "req_local_flow_0001";
    const answer = await local.callBridge(granted.ticket as string, requestId);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as Json).usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5 });

    await eventually(() => local.ollama.requests.length > 0);
    await waitFor(async () => (await usageEvents(requestId)).length === 1);
    expect(await local.stack.wallet(token)).toMatchObject({
      balance_usd: "0.99000000",
      held_usd: "0.00000000",
      available_usd: "0.99000000",
    });
    const [event] = await usageEvents(requestId);
    expect(event).toMatchObject({
      route_mode: "local",
      feature_key: "local_paid",
      provider: "ollama",
      model: LOCAL_MODEL,
      input_tokens: 11,
      output_tokens: 5,
      usage_source: "upstream",
      outcome: "completed",
    });
    // The fee is split like a margin: 40 % to the developer, the rest to the platform; no upstream cost.
    expect([event!.retail_units, event!.cost_units, event!.developer_units, event!.platform_units].map(String)).toEqual(
      ["1000000", "0", "400000", "600000"],
    );

    const history = await fetch(`${local.stack.apiUrl}/v1/user/usage?request_id=${requestId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await history.json()) as { items: Json[] }).items).toEqual([
      expect.objectContaining({ request_id: requestId, route_mode: "local", price_usd: LOCAL_FEE_USD }),
    ]);
    expect(await local.stack.reconciled()).toBe(true);
  });

  it("shows local usage in the operator's usage and revenue reports", async () => {
    const { token } = await local.user("local-reports", "1.00");
    const { ticket } = await ticketOf(token);
    const requestId = "req_local_reports_0001";
    expect((await local.report(ticket as string, report(requestId))).status).toBe(200);
    const usage = await (await local.stack.admin("GET", "/v1/admin/reports/usage.csv")).text();
    const line = usage.split("\n").find((row) => row.includes(requestId));
    expect(line).toContain(",local,ollama,");
    const revenue = await (await local.stack.admin("GET", "/v1/admin/reports/revenue.csv")).text();
    expect(revenue.split("\n").some((row) => row.includes(",local_paid,local,"))).toBe(true);
  });
});

describe("POST /v1/usage/local-report", () => {
  it("is idempotent on request_id: a replay answers already_settled and changes nothing", async () => {
    const { token } = await local.user("local-replay", "1.00");
    const { ticket } = await ticketOf(token);
    const requestId = "req_local_replay_0001";
    const first = await local.report(ticket as string, report(requestId));
    expect(await first.json()).toEqual({ request_id: requestId, result: "settled", price_usd: LOCAL_FEE_USD });
    const after = await local.stack.wallet(token);
    for (let replay = 0; replay < 3; replay += 1) {
      const again = await local.report(ticket as string, report(requestId, { output_tokens: 4000 }));
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({
        request_id: requestId,
        result: "already_settled",
        price_usd: LOCAL_FEE_USD,
      });
    }
    // A ticket is for one call: another request_id on it is refused.
    const other = await local.report(ticket as string, report("req_local_replay_0002"));
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: Json }).error.code).toBe("conflict");
    expect(await local.stack.wallet(token)).toEqual(after);
    expect(after).toMatchObject({ balance_usd: "0.99000000", held_usd: "0.00000000" });
    expect(await usageEvents(requestId)).toHaveLength(1);
    expect(await local.stack.reconciled()).toBe(true);
  });

  it("refuses an unknown ticket, a missing one and a session token with 401", async () => {
    const { token } = await local.user("local-unknown", "1.00");
    for (const bearer of ["mf_lt_not-a-ticket", token]) {
      const refused = await local.report(bearer, report("req_local_unknown_0001"));
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: Json }).error).toMatchObject({
        code: "unauthorized",
        request_id: expect.any(String),
      });
    }
    const bare = await fetch(`${local.stack.apiUrl}/v1/usage/local-report`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(report("req_local_unknown_0002")),
    });
    expect(bare.status).toBe(401);
    expect(await usageEvents("req_local_unknown_0001")).toHaveLength(0);
  });

  it("refuses a report carrying any text with 400, and the ticket still settles with a proper one", async () => {
    const { token } = await local.user("local-text", "1.00");
    const { ticket } = await ticketOf(token);
    const requestId = "req_local_text_0001";
    for (const field of ["prompt", "messages", "content", "output", "completion"]) {
      const refused = await local.report(
        ticket as string,
        report(requestId, { [field]: "Dear Ms Smith, about the refund" }),
      );
      expect(refused.status, field).toBe(400);
      const { error } = (await refused.json()) as { error: Json };
      expect(error.code).toBe("invalid_request");
      expect(JSON.stringify(error)).not.toContain("Ms Smith");
    }
    expect(await usageEvents(requestId)).toHaveLength(0);
    expect(await local.stack.wallet(token)).toMatchObject({ held_usd: LOCAL_FEE_USD });
    expect((await local.report(ticket as string, report(requestId))).status).toBe(200);
    expect(await local.stack.wallet(token)).toMatchObject({ balance_usd: "0.99000000", held_usd: "0.00000000" });
  });

  it("accepts a report after the ticket's expiry, within the grace period", async () => {
    const { token } = await local.user("local-late", "1.00");
    const granted = await ticketOf(token);
    await sleep(Date.parse(granted.expires_at as string) - Date.now() + 200);
    const requestId = "req_local_late_0001";
    const late = await local.report(granted.ticket as string, report(requestId));
    expect(await late.json()).toMatchObject({ result: "settled", price_usd: LOCAL_FEE_USD });
    expect(await local.stack.wallet(token)).toMatchObject({ balance_usd: "0.99000000", held_usd: "0.00000000" });
  });
});

describe("the contract", () => {
  it("answers exactly the documented shapes, and /openapi.json names the ticket as the report's credential", async () => {
    const { token } = await local.user("local-contract", "1.00");
    const granted = await ticketOf(token);
    // Parsing strips what a schema does not name: equality means nothing sent is undocumented.
    expect(localTicketSchema.parse(granted)).toEqual(granted);
    const settled = (await (await local.report(granted.ticket as string, report("req_local_contract"))).json()) as Json;
    expect(localUsageReportResultSchema.parse(settled)).toEqual(settled);
    const refused = (await (await local.report("mf_lt_unknown", report("req_local_contract_2"))).json()) as Json;
    expect(errorEnvelopeSchema.parse(refused)).toEqual(refused);

    const document = (await (await fetch(`${local.stack.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Json>>;
      components: { securitySchemes: Record<string, Json> };
    };
    expect(document.paths["/v1/local/tickets"]!.post).toMatchObject({ security: [{ session: [] }] });
    expect(document.paths["/v1/usage/local-report"]!.post).toMatchObject({ security: [{ localTicket: [] }] });
    expect(document.components.securitySchemes.localTicket).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

describe("POST /v1/local/tickets", () => {
  it("is 409 no_available_route for a feature whose route_preference has no local, holding nothing", async () => {
    const { token } = await local.user("local-forbidden", "1.00");
    const refused = await local.ticket(token, { feature_key: "cloud_only" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: Json }).error.code).toBe("no_available_route");
    expect(await local.stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
  });

  it("is 402 insufficient_balance when the wallet cannot hold the fee, with what was needed", async () => {
    const { token } = await local.user("local-poor", "0.00500000");
    const refused = await local.ticket(token, { feature_key: "local_paid" });
    expect(refused.status).toBe(402);
    expect(((await refused.json()) as { error: Json }).error).toMatchObject({
      code: "insufficient_balance",
      needed_usd: LOCAL_FEE_USD,
      available_usd: "0.00500000",
    });
    expect(await local.stack.wallet(token)).toMatchObject({ held_usd: "0.00000000" });
  });

  it("uses the session's feature, needs a session, and refuses a bad body", async () => {
    const { token } = await local.user("local-session-feature", "1.00", "local_paid");
    expect(await ticketOf(token, {})).toMatchObject({ feature_key: "local_paid", local_fee_usd: LOCAL_FEE_USD });
    const { token: noFeature } = await local.user("local-no-feature", "1.00");
    expect((await local.ticket(noFeature, {})).status).toBe(400);
    expect((await local.ticket(noFeature, { feature_key: "nope" })).status).toBe(404);
    expect((await local.ticket(token, { feature_key: "local_paid", prompt: "hi" })).status).toBe(400);
    expect((await local.ticket("mf_sess_nope", {})).status).toBe(401);
  });

  it("grants a free ticket on a feature without a local fee: nothing held, a usage event at 0", async () => {
    const { token } = await local.user("local-free");
    const granted = await ticketOf(token, { feature_key: "local_free" });
    expect(granted).toMatchObject({ local_fee_usd: "0.00000000", available_usd: "0.00000000" });
    const requestId = "req_local_free_0001";
    expect(await (await local.report(granted.ticket as string, report(requestId))).json()).toMatchObject({
      result: "settled",
      price_usd: "0.00000000",
    });
    expect(await usageEvents(requestId)).toEqual([expect.objectContaining({ route_mode: "local" })]);
  });
});

describe("many tickets on a small wallet", () => {
  it("never holds more than the balance, and each ticket is charged once however its reports race", async () => {
    const { token } = await local.user("local-crowd", "0.05000000");
    const asked = await Promise.all(
      Array.from({ length: 20 }, () => local.ticket(token, { feature_key: "local_paid" })),
    );
    const statuses = asked.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 402)).toHaveLength(15);
    expect(await local.stack.wallet(token)).toMatchObject({
      balance_usd: "0.05000000",
      held_usd: "0.05000000",
      available_usd: "0.00000000",
    });
    const tickets = await Promise.all(
      asked
        .filter((answer) => answer.status === 201)
        .map(async (answer) => ((await answer.json()) as Json).ticket as string),
    );
    // Every ticket reported three times at once: one settles, the others are replays.
    const answers = await Promise.all(
      tickets.flatMap((ticket, index) =>
        [0, 1, 2].map(() =>
          local.report(ticket, report(`req_local_crowd_${index}`)).then((r) => r.json() as Promise<Json>),
        ),
      ),
    );
    expect(answers.filter((answer) => answer.result === "settled")).toHaveLength(5);
    expect(answers.filter((answer) => answer.result === "already_settled")).toHaveLength(10);
    const wallet = await local.stack.wallet(token);
    expect(wallet).toMatchObject({ balance_usd: "0.00000000", held_usd: "0.00000000" });
    expect(units(wallet.balance_usd)).toBeGreaterThanOrEqual(0n);
    expect(await local.stack.reconciled()).toBe(true);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}
