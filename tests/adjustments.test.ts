import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { listTransfers, reconcile } from "@modelfaucet/ledger";
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

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

async function adjust(walletId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await api.inject({
    method: "POST",
    url: `/v1/admin/wallets/${walletId}/adjustments`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
    payload: body,
  });
  return { status: response.statusCode, body: response.json() } as Answer;
}

let users = 0;
async function newWallet(): Promise<string> {
  const minted = await api.inject({
    method: "POST",
    url: "/v1/sessions",
    payload: { public_app_id: "app_demo", external_user_id: `adjusted-${++users}` },
  });
  const { session_token: token } = minted.json<{ session_token: string }>();
  const wallet = await api.inject({
    method: "GET",
    url: "/v1/user/wallet",
    headers: { authorization: `Bearer ${token}` },
  });
  return wallet.json<{ wallet_id: string }>().wallet_id;
}

async function balanceOf(walletId: string) {
  const { rows } = await database.db.query<{ balance: string }>(
    `SELECT (credits_posted - debits_posted)::text AS balance FROM ledger_accounts WHERE id = $1`,
    [`user:${walletId}`],
  );
  return rows[0]!.balance;
}

const reconciled = async () => expect((await reconcile(database.db)).ok).toBe(true);

describe("POST /v1/admin/wallets/:id/adjustments", () => {
  it("credits and debits a wallet through the ledger, with an audit entry for each", async () => {
    const wallet = await newWallet();
    const credit = await adjust(
      wallet,
      { kind: "adjustment", direction: "credit", amount_usd: "10", reason: "goodwill after outage" },
      { "x-request-id": "req_adjust_credit" },
    );
    expect(credit.status).toBe(200);
    expect(credit.body).toMatchObject({
      wallet_id: wallet,
      kind: "adjustment",
      direction: "credit",
      amount_usd: "10.00000000",
      applied: true,
      balance_usd: "10.00000000",
      available_usd: "10.00000000",
    });
    const refund = await adjust(wallet, {
      kind: "refund",
      direction: "debit",
      amount_usd: "3.25",
      reason: "refunded by card",
    });
    expect(refund.body).toMatchObject({ applied: true, balance_usd: "6.75000000" });
    const chargeback = await adjust(wallet, {
      kind: "chargeback",
      direction: "debit",
      amount_usd: "6.75",
      reason: "dispute lost",
    });
    expect(chargeback.body).toMatchObject({ applied: true, balance_usd: "0.00000000" });

    const transfers = await listTransfers(database.db, `user:${wallet}`, { limit: 10 });
    expect(transfers.map((t) => t.code).sort()).toEqual(["adjustment", "chargeback", "refund"]);
    const { rows } = await database.db.query<{
      action: string;
      actor_type: string;
      request_id: string;
      details: object;
    }>("SELECT action, actor_type, request_id, details FROM audit_logs WHERE resource_id = $1 ORDER BY id", [wallet]);
    expect(rows.map((row) => row.action)).toEqual([
      "wallet.adjustment_credit",
      "wallet.refund_debit",
      "wallet.chargeback_debit",
    ]);
    expect(rows[0]).toMatchObject({
      actor_type: "admin",
      request_id: "req_adjust_credit",
      details: { amount_usd: "10.00000000", reason: "goodwill after outage" },
    });
    await reconciled();
  });

  it("never debits below zero: 402 insufficient_balance, nothing written", async () => {
    const wallet = await newWallet();
    await adjust(wallet, { kind: "adjustment", direction: "credit", amount_usd: "1", reason: "seed" });
    const refused = await adjust(wallet, {
      kind: "chargeback",
      direction: "debit",
      amount_usd: "1.00000001",
      reason: "x",
    });
    expect(refused.status).toBe(402);
    expect(refused.body.error?.code).toBe("insufficient_balance");
    expect(refused.body.error?.message).toContain("1.00000000");
    expect(await balanceOf(wallet)).toBe("100000000");
    await reconciled();
  });

  it("applies once per idempotency key; the same key with other content is a 409 conflict", async () => {
    const wallet = await newWallet();
    const body = { kind: "refund", direction: "credit", amount_usd: "2.5", reason: "refund", idempotency_key: "k-1" };
    const first = await adjust(wallet, body, { "x-request-id": "req_a" });
    const retry = await adjust(wallet, body, { "x-request-id": "req_b" });
    expect([first.body.applied, retry.body.applied]).toEqual([true, false]);
    expect(retry.body.transfer_id).toBe(first.body.transfer_id);
    expect(await balanceOf(wallet)).toBe("250000000");

    for (const changed of [
      { amount_usd: "2.6" },
      { reason: "another" },
      { direction: "debit" },
      { kind: "adjustment" },
    ]) {
      const conflict = await adjust(wallet, { ...body, ...changed });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error?.code).toBe("conflict");
    }
    // The Idempotency-Key header works too, and concurrent retries apply once.
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () =>
        adjust(
          wallet,
          { kind: "adjustment", direction: "credit", amount_usd: "1", reason: "r" },
          { "idempotency-key": "k-2" },
        ),
      ),
    );
    expect(concurrent.every((answer) => answer.status === 200)).toBe(true);
    expect(concurrent.filter((answer) => answer.body.applied)).toHaveLength(1);
    expect(await balanceOf(wallet)).toBe("350000000");
    const { rows } = await database.db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM audit_logs WHERE resource_id = $1",
      [wallet],
    );
    expect(rows[0]!.n).toBe("2");
    await reconciled();
  });

  it("validates the request", async () => {
    const wallet = await newWallet();
    const valid = { kind: "adjustment", direction: "credit", amount_usd: "1", reason: "ok" };
    const bad: Array<Record<string, unknown>> = [
      { ...valid, reason: undefined },
      { ...valid, reason: "   " },
      { ...valid, reason: "r".repeat(501) },
      { ...valid, kind: "gift" },
      { ...valid, direction: "sideways" },
      { ...valid, amount_usd: "0" },
      { ...valid, amount_usd: "-1" },
      { ...valid, amount_usd: 1 },
      { ...valid, idempotency_key: "has space" },
    ];
    for (const body of bad) {
      const answer = await adjust(wallet, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.code).toBe("invalid_request");
    }
    expect((await adjust("usr_nobody", valid)).status).toBe(404);
    expect((await adjust("not-a-wallet", valid)).status).toBe(400);
    const anonymous = await api.inject({
      method: "POST",
      url: `/v1/admin/wallets/${wallet}/adjustments`,
      payload: valid,
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await balanceOf(wallet)).toBe("0");
  });
});
