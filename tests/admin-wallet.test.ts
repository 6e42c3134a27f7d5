// GET /v1/admin/wallets/:id: one end user's wallet as the operator's wallet
// page shows it. Its figures are the ledger's — the same as the user's own
// GET /v1/user/wallet and as the wallet's row in the list — after a credit
// and while a streamed request holds money; an unknown wallet is 404, and
// only the operator (ADMIN_TOKEN, or a console session signed in with it)
// may read it.
import { errorEnvelopeSchema, walletSummarySchema, type WalletEntry } from "@modelfaucet/contract";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { developerWithToken, signIn } from "./helpers/console-session.js";
import { DEVELOPER_ADMIN_TOKEN, startRevenueStack, type RevenueStack } from "./helpers/revenue-stack.js";
import { ADMIN_TOKEN } from "./helpers/services.js";

let database: TestDatabase;
let stack: RevenueStack;
beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startRevenueStack(database.db);
});
afterAll(async () => {
  await stack.close();
  await database.db.close();
});

async function adminGet(path: string) {
  const response = await stack.admin("GET", path);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The wallet as GET /v1/admin/wallets/:id, the list's row of it, and the user's own view of it. */
async function threeViews(walletId: string, token: string) {
  const one = await adminGet(`/v1/admin/wallets/${walletId}`);
  expect(one.status, JSON.stringify(one.json)).toBe(200);
  const summary = walletSummarySchema.parse(one.json);
  const list = await adminGet(`/v1/admin/wallets?app_id=${summary.app_id}&limit=200`);
  const row = (list.json.items as Array<Record<string, unknown>>).find((item) => item.wallet_id === walletId);
  const own = await stack.wallet(token);
  return { summary, row, own };
}

describe("GET /v1/admin/wallets/:id", () => {
  it("answers the ledger's balance, held and available after a credit and while a request holds money", async () => {
    const { token, walletId } = await stack.user("admin-wallet-reader", "1.00");
    const credited = await threeViews(walletId, token);
    expect(credited.summary).toMatchObject({
      wallet_id: walletId,
      app_id: "app_demo",
      balance_usd: "1.00000000",
      held_usd: "0.00000000",
      available_usd: "1.00000000",
    });
    expect(credited.row).toEqual(credited.summary);
    expect(credited.own).toMatchObject({ balance_usd: "1.00000000", held_usd: "0.00000000" });

    // A slow stream: once its first chunk is here, its hold is on the wallet until it ends.
    stack.mock.setBehavior({ chunkCount: 20, chunkDelayMs: 100, replyTokens: 200 });
    const response = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock-small", stream: true, messages: [{ role: "user", content: "A story." }] }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();

    const holding = await threeViews(walletId, token);
    expect(holding.summary.held_usd).not.toBe("0.00000000");
    expect(holding.summary).toMatchObject({
      balance_usd: holding.own.balance_usd,
      held_usd: holding.own.held_usd,
      available_usd: holding.own.available_usd,
    });
    expect(holding.row).toEqual(holding.summary);
    // The hold is the wallet's one pending debit among its ledger entries.
    const entries = await adminGet(`/v1/admin/wallets/${walletId}/entries`);
    const items = entries.json.items as WalletEntry[];
    expect(items.filter((entry) => entry.kind === "pending" && entry.direction === "debit")).toEqual([
      expect.objectContaining({ amount_usd: holding.summary.held_usd }),
    ]);
    while (!(await reader.read()).done) continue; // to its end: the request settles

    // Settled: the hold is gone and the price is posted; all three still agree.
    await expect.poll(async () => (await threeViews(walletId, token)).summary.held_usd).toBe("0.00000000");
    const settled = await threeViews(walletId, token);
    expect(settled.summary.balance_usd).not.toBe("1.00000000");
    expect(settled.summary).toMatchObject({
      balance_usd: settled.own.balance_usd,
      held_usd: "0.00000000",
      available_usd: settled.own.balance_usd,
    });
    expect(settled.row).toEqual(settled.summary);
    expect(await stack.reconciled()).toBe(true);
  });

  it("answers 404 not_found in the error envelope for an unknown wallet, 400 for what is no wallet id", async () => {
    const unknown = await adminGet("/v1/admin/wallets/usr_doesnotexist000");
    expect(unknown.status).toBe(404);
    // The route's answer, not the router's "No route for …".
    expect(errorEnvelopeSchema.parse(unknown.json).error).toMatchObject({
      code: "not_found",
      message: "Unknown wallet.",
    });
    const malformed = await adminGet("/v1/admin/wallets/not-a-wallet");
    expect(malformed.status).toBe(400);
    expect(errorEnvelopeSchema.parse(malformed.json).error.code).toBe("invalid_request");
  });

  it("is the operator's: a console session signed in with ADMIN_TOKEN reads it, a developer's token or session does not", async () => {
    const { walletId } = await stack.user("admin-wallet-private", "0.50");
    const url = `/v1/admin/wallets/${walletId}`;
    const operator = await signIn(stack.api, ADMIN_TOKEN);
    const asOperator = await stack.api.inject({ method: "GET", url, headers: { cookie: operator.cookie } });
    expect(asOperator.statusCode, asOperator.body).toBe(200);
    expect(asOperator.json()).toMatchObject({ wallet_id: walletId, available_usd: "0.50000000" });

    const developer = await developerWithToken(stack.api, DEVELOPER_ADMIN_TOKEN, "WalletPeeker");
    const session = await signIn(stack.api, developer.token);
    for (const headers of [
      { authorization: `Bearer ${developer.token}` },
      { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` },
      { cookie: session.cookie },
      {},
    ]) {
      const denied = await stack.api.inject({ method: "GET", url, headers });
      expect([401, 403], `${Object.keys(headers).join()}: ${denied.body}`).toContain(denied.statusCode);
      expect(errorEnvelopeSchema.parse(denied.json()).error.code).toMatch(/^(unauthorized|forbidden)$/);
      expect(denied.body).not.toContain(walletId);
    }
  });
});
