import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import {
  accountIds,
  createTransfer,
  ensureAccount,
  getBalance,
  PLATFORM_ACCOUNTS,
  reconcile,
  TRANSFER_CODES,
} from "@modelfaucet/ledger";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, testApi } from "./helpers/services.js";

let database: TestDatabase;
let api: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db);
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

const units = (usd: string) => BigInt(usd.replace(".", ""));

interface Payout {
  id: string;
  developer_id: string;
  status: string;
  amount_usd: string;
  hold_transfer_id: string;
  approval_note: string | null;
}

async function admin(method: "GET" | "POST", url: string, body?: unknown, requestId?: string) {
  const response = await api.inject({
    method,
    url,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(requestId ? { "x-request-id": requestId } : {}) },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return {
    status: response.statusCode,
    body: response.json() as Record<string, unknown> & { error?: { code: string } },
  };
}

let developers = 0;
/** A developer whose ledger account has been credited `usd` (a deferred credit, not yet folded). */
async function developerWith(usd: string): Promise<string> {
  const created = await admin("POST", "/v1/admin/developers", {
    name: "Payee",
    email: `payee-${++developers}-${Date.now()}@example.com`,
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await ensureAccount(database.db, { id: accountIds.developer(id), kind: "developer", ownerId: id });
  const credit = await createTransfer(database.db, {
    kind: "posted",
    id: `test_earning:${id}`,
    debitAccountId: PLATFORM_ACCOUNTS.usageClearing,
    creditAccountId: accountIds.developer(id),
    amount: units(usd),
    code: TRANSFER_CODES.usageDeveloperShare,
  });
  expect(credit.result).toBe("created");
  // ... and the clearing account is made whole from outside, as a settlement would.
  await createTransfer(database.db, {
    kind: "posted",
    id: `test_funding:${id}`,
    debitAccountId: PLATFORM_ACCOUNTS.externalFunding,
    creditAccountId: PLATFORM_ACCOUNTS.usageClearing,
    amount: units(usd),
    code: TRANSFER_CODES.testCredit,
  });
  return id;
}

async function run(thresholdUsd: string) {
  const response = await admin("POST", "/v1/admin/payouts/run", { threshold_usd: thresholdUsd });
  expect(response.status).toBe(200);
  return response.body as unknown as { run_id: string; created: Payout[]; skipped: unknown[] };
}

async function payoutOf(developerId: string, thresholdUsd = "0.00000001"): Promise<Payout> {
  const { created } = await run(thresholdUsd);
  const payout = created.find((p) => p.developer_id === developerId);
  expect(payout).toBeDefined();
  return payout!;
}

const balanceOf = async (accountId: string) => (await getBalance(database.db, accountId))!;

async function expectReconciled() {
  const response = await admin("GET", "/v1/admin/reconciliation/ledger");
  expect(response.body).toMatchObject({ ok: true, mismatches: [], negative: [], pending_problems: [] });
  expect((await reconcile(database.db)).ok).toBe(true);
}

describe("payouts: run → approve → mark-paid", () => {
  it("moves exactly the developer's balance out of the platform, reconciled at every step", async () => {
    const rich = await developerWith("12.34567890");
    const poor = await developerWith("5.00000000");
    const external = (await balanceOf(PLATFORM_ACCOUNTS.externalFunding)).balance;
    await expectReconciled();

    const { created, run_id: runId } = await run("10.00000000");
    expect(runId).toMatch(/^prun_/);
    expect(created.map((p) => p.developer_id)).toContain(rich);
    expect(created.map((p) => p.developer_id)).not.toContain(poor);
    const payout = created.find((p) => p.developer_id === rich)!;
    expect(payout).toMatchObject({ status: "pending", amount_usd: "12.34567890" });
    const held = await balanceOf(accountIds.developer(rich));
    expect(held).toMatchObject({ balance: units("12.34567890"), available: 0n, debitsPending: units("12.34567890") });
    await expectReconciled();

    const approved = await admin("POST", `/v1/admin/payouts/${payout.id}/approve`, { note: "checked the KYC" });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "processing", approval_note: "checked the KYC" });
    await expectReconciled();

    const paid = await admin("POST", `/v1/admin/payouts/${payout.id}/mark-paid`, undefined, "req_payout_paid_1");
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: "paid", amount_usd: "12.34567890" });
    expect(await balanceOf(accountIds.developer(rich))).toMatchObject({
      balance: 0n,
      available: 0n,
      debitsPending: 0n,
    });
    expect((await balanceOf(PLATFORM_ACCOUNTS.payoutsClearing)).balance).toBe(0n);
    expect((await balanceOf(PLATFORM_ACCOUNTS.externalFunding)).balance - external).toBe(units("12.34567890"));
    expect((await balanceOf(accountIds.developer(poor))).available).toBe(units("5.00000000"));
    await expectReconciled();

    const { rows: audit } = await database.db.query<{ action: string; actor_type: string; request_id: string }>(
      "SELECT action, actor_type, request_id FROM audit_logs WHERE resource_id = $1 ORDER BY id",
      [payout.id],
    );
    expect(audit.map((row) => row.action)).toEqual(["payout.create", "payout.approve", "payout.mark_paid"]);
    expect(audit.every((row) => row.actor_type === "admin" && row.request_id)).toBe(true);
    expect(audit.at(-1)!.request_id).toBe("req_payout_paid_1");

    const listed = await admin("GET", `/v1/admin/payouts?developer_id=${rich}`);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: payout.id, status: "paid" })]);
  });

  it("run-mock is an alias, and a developer with an open payout gets no second one (also between concurrent runs)", async () => {
    const developer = await developerWith("3.00000000");
    const runs = await Promise.all(
      [1, 2, 3].map(() => admin("POST", "/v1/admin/payouts/run-mock", { threshold_usd: "1.00000000" })),
    );
    const mine = runs.flatMap((r) => (r.body.created as Payout[]).filter((p) => p.developer_id === developer));
    expect(mine).toHaveLength(1);
    const again = await run("1.00000000");
    expect(again.created.filter((p) => p.developer_id === developer)).toEqual([]);
    expect((await balanceOf(accountIds.developer(developer))).available).toBe(0n);
    await expectReconciled();
  });

  it("refuses mark-paid before approve, twice, or after cancel (409 conflict); cancel voids the hold", async () => {
    const developer = await developerWith("2.00000000");
    const first = await payoutOf(developer);
    const early = await admin("POST", `/v1/admin/payouts/${first.id}/mark-paid`);
    expect(early.status).toBe(409);
    expect(early.body.error?.code).toBe("conflict");

    expect((await admin("POST", `/v1/admin/payouts/${first.id}/approve`, {})).status).toBe(200);
    expect((await admin("POST", `/v1/admin/payouts/${first.id}/approve`, {})).status).toBe(409);
    expect((await admin("POST", `/v1/admin/payouts/${first.id}/mark-paid`)).status).toBe(200);
    const twice = await admin("POST", `/v1/admin/payouts/${first.id}/mark-paid`);
    expect(twice.status).toBe(409);
    expect(twice.body.error?.code).toBe("conflict");
    expect((await admin("POST", `/v1/admin/payouts/${first.id}/cancel`)).status).toBe(409);
    expect((await balanceOf(accountIds.developer(developer))).balance).toBe(0n);

    // New earnings, a new payout, cancelled: the money is the developer's again.
    await createTransfer(database.db, {
      kind: "posted",
      id: `test_earning_2:${developer}`,
      debitAccountId: PLATFORM_ACCOUNTS.revenue,
      creditAccountId: accountIds.developer(developer),
      amount: units("0.75000000"),
      code: TRANSFER_CODES.usageDeveloperShare,
    });
    const second = await payoutOf(developer);
    expect(second.amount_usd).toBe("0.75000000");
    const cancelled = await admin("POST", `/v1/admin/payouts/${second.id}/cancel`, { reason: "wrong bank details" });
    expect(cancelled.body).toMatchObject({ status: "cancelled", cancel_reason: "wrong bank details" });
    expect(await balanceOf(accountIds.developer(developer))).toMatchObject({
      balance: units("0.75000000"),
      available: units("0.75000000"),
    });
    for (const action of ["mark-paid", "approve", "cancel"]) {
      const refused = await admin("POST", `/v1/admin/payouts/${second.id}/${action}`);
      expect(refused.status).toBe(409);
    }
    expect((await admin("POST", "/v1/admin/payouts/po_missing/mark-paid")).status).toBe(404);
    expect((await admin("POST", "/v1/admin/payouts/not-an-id/approve")).status).toBe(400);
    await expectReconciled();
  });

  it("10 concurrent mark-paid: exactly one succeeds and the money moves once", async () => {
    const developer = await developerWith("7.00000000");
    const payout = await payoutOf(developer);
    expect((await admin("POST", `/v1/admin/payouts/${payout.id}/approve`, { note: "ok" })).status).toBe(200);
    const external = (await balanceOf(PLATFORM_ACCOUNTS.externalFunding)).balance;

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => admin("POST", `/v1/admin/payouts/${payout.id}/mark-paid`)),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    expect((await balanceOf(accountIds.developer(developer))).balance).toBe(0n);
    expect((await balanceOf(PLATFORM_ACCOUNTS.externalFunding)).balance - external).toBe(units("7.00000000"));
    const { rows } = await database.db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM ledger_transfers WHERE id LIKE $1",
      [`payout_%:${payout.id}`],
    );
    expect(rows[0]!.n).toBe("3"); // hold, post, send
    await expectReconciled();
  });

  it("the database itself refuses illegal transitions, edits and deletes", async () => {
    const developer = await developerWith("1.50000000");
    const payout = await payoutOf(developer);
    const refuse = (sql: string) => expect(database.db.query(sql, [payout.id])).rejects.toThrow();
    await refuse("UPDATE payouts SET status = 'paid', paid_at = now() WHERE id = $1");
    await refuse("UPDATE payouts SET status = 'settled' WHERE id = $1");
    await refuse("UPDATE payouts SET amount_units = amount_units + 1 WHERE id = $1");
    await refuse("DELETE FROM payouts WHERE id = $1");
    await expect(
      database.db.query(
        `INSERT INTO payouts (id, developer_id, run_id, amount_units, threshold_units, hold_transfer_id)
         VALUES ('po_second', $1, 'prun_x', 1, 0, 'payout_hold:po_second')`,
        [developer],
      ),
    ).rejects.toThrow();
    const { rows } = await database.db.query<{ status: string }>("SELECT status FROM payouts WHERE id = $1", [
      payout.id,
    ]);
    expect(rows[0]!.status).toBe("pending");
    expect((await admin("POST", `/v1/admin/payouts/${payout.id}/cancel`)).status).toBe(200);
    await expectReconciled();
  });

  it("lists with a cursor, validates input and needs ADMIN_TOKEN", async () => {
    const page = await admin("GET", "/v1/admin/payouts?limit=2");
    expect(page.body.items).toHaveLength(2);
    const next = await admin("GET", `/v1/admin/payouts?limit=2&cursor=${page.body.next_cursor as string}`);
    expect(next.status).toBe(200);
    const seen = new Set([...(page.body.items as Payout[]), ...(next.body.items as Payout[])].map((p) => p.id));
    expect(seen.size).toBe(4);
    expect((await admin("GET", "/v1/admin/payouts?cursor=bogus")).status).toBe(400);
    expect((await admin("POST", "/v1/admin/payouts/run", {})).status).toBe(400);
    expect((await admin("POST", "/v1/admin/payouts/run", { threshold_usd: "-1" })).status).toBe(400);
    const anonymous = await api.inject({
      method: "POST",
      url: "/v1/admin/payouts/run",
      payload: { threshold_usd: "1" },
    });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await api.inject({
      method: "GET",
      url: "/v1/admin/payouts",
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.statusCode).toBe(403);
  });
});
