// Every sensitive action, performed over HTTP, appends one audit entry with
// its actor, action, resource and request id — and no audit row ever holds a
// secret (tokens, keys, webhook secret). One row per action, in order: later
// rows use what earlier ones created.
import { buildApi } from "@modelfaucet/api";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { accountIds, createTransfer, ensureAccount, PLATFORM_ACCOUNTS, TRANSFER_CODES } from "@modelfaucet/ledger";
import { createLogger } from "@modelfaucet/server-kit";
import { testConfig } from "@modelfaucet/server-kit/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTestEvent } from "@modelfaucet/api/testing";
import { fakeStripeClient, startFakeStripe, type FakeStripe } from "./helpers/fake-stripe.js";
import { DEVELOPER_ADMIN_TOKEN } from "./helpers/revenue-stack.js";
import { ADMIN_TOKEN } from "./helpers/services.js";

const WEBHOOK_SECRET = "whsec_audit_test_0123456789abcdef";
const DEVELOPER_PROVIDER_KEY = "sk-developer-secret-for-audit-0123456789";
const USER_PROVIDER_KEY = "sk-user-secret-for-audit-0123456789abcd";

let database: TestDatabase;
let api: FastifyInstance;
let fake: FakeStripe;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeStripe();
  api = await buildApi({
    config: testConfig({
      ADMIN_TOKEN,
      DEVELOPER_ADMIN_TOKEN,
      STRIPE_SECRET_KEY: "sk_test_fake",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    }),
    db: database.db,
    logger: createLogger({ level: "silent" }),
    stripe: fakeStripeClient(fake),
  });
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => fake.server.close(resolve));
  await database.db.close();
});

/** What the actions create and the secrets they hand out, for later rows and the final check. */
const made: Record<string, string> = {};
const secrets: string[] = [
  ADMIN_TOKEN,
  DEVELOPER_ADMIN_TOKEN,
  WEBHOOK_SECRET,
  DEVELOPER_PROVIDER_KEY,
  USER_PROVIDER_KEY,
];

type Caller = "admin" | "developer" | "session" | "stripe";

async function call(caller: Caller, requestId: string, method: string, url: string, body?: unknown) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const authorization = {
    admin: `Bearer ${ADMIN_TOKEN}`,
    developer: `Bearer ${DEVELOPER_ADMIN_TOKEN}`,
    session: `Bearer ${made.session}`,
    stripe: undefined,
  }[caller];
  const response = await api.inject({
    method: method as "POST",
    url,
    headers: {
      "x-request-id": requestId,
      ...(authorization ? { authorization } : {}),
      ...(payload === undefined ? {} : { "content-type": "application/json" }),
      ...(caller === "stripe" && payload ? { "stripe-signature": signTestEvent(payload, WEBHOOK_SECRET) } : {}),
    },
    ...(payload === undefined ? {} : { payload }),
  });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json<Record<string, string>>();
}

interface AuditedAction {
  action: string;
  actor: "admin" | "developer" | "end_user" | "system";
  resourceType: string;
  /** Performs the action under `requestId`; returns the resource id the entry must name. */
  perform(requestId: string): Promise<string>;
}

const manifest = {
  feature_key: "audited",
  display_name: "Audited",
  policy: { route_preference: ["platform_pool"], default_model: "mock-small", max_output_tokens: 64 },
  pricing: { mode: "usage_markup", markup_percent: 30, channel_share_bps: 4000, byok_gateway_fee_usd: "0" },
};

const actions: AuditedAction[] = [
  {
    action: "developer.create",
    actor: "admin",
    resourceType: "developer",
    perform: async (id) => {
      const body = await call("admin", id, "POST", "/v1/admin/developers", {
        name: "Audit",
        email: "audit@example.com",
      });
      return (made.developer = body.id!);
    },
  },
  {
    action: "developer_token.create",
    actor: "admin",
    resourceType: "developer_token",
    perform: async (id) => {
      const body = await call("developer", id, "POST", "/v1/developer/tokens", {
        developer_id: made.developer,
        name: "ci",
        scopes: ["developer:apps:read"],
      });
      secrets.push(body.token!);
      return (made.token = body.id!);
    },
  },
  {
    action: "developer_token.revoke",
    actor: "admin",
    resourceType: "developer_token",
    perform: async (id) => (await call("developer", id, "DELETE", `/v1/developer/tokens/${made.token}`)).id!,
  },
  {
    action: "app.create",
    actor: "admin",
    resourceType: "app",
    perform: async (id) => {
      const body = await call("developer", id, "POST", "/v1/developer/apps", {
        developer_id: made.developer,
        name: "Audited app",
        session_mode: "public",
      });
      return (made.app = body.public_app_id!);
    },
  },
  {
    action: "app.update",
    actor: "admin",
    resourceType: "app",
    perform: async (id) =>
      (await call("developer", id, "PATCH", `/v1/developer/apps/${made.app}`, { name: "Renamed" })).public_app_id!,
  },
  {
    action: "app_secret_key.create",
    actor: "admin",
    resourceType: "app_secret_key",
    perform: async (id) => {
      const body = await call("developer", id, "POST", `/v1/developer/apps/${made.app}/secret-keys`);
      secrets.push(body.secret_key!);
      return (made.secretKeyId = body.id!);
    },
  },
  {
    action: "app_secret_key.revoke",
    actor: "admin",
    resourceType: "app_secret_key",
    perform: async (id) =>
      (await call("developer", id, "DELETE", `/v1/developer/apps/${made.app}/secret-keys/${made.secretKeyId}`)).id!,
  },
  {
    action: "feature.create",
    actor: "admin",
    resourceType: "feature",
    perform: async (id) => {
      await call("developer", id, "POST", `/v1/developer/apps/${made.app}/features`, manifest);
      return `${made.app}/audited`;
    },
  },
  {
    action: "feature.update",
    actor: "admin",
    resourceType: "feature",
    perform: async (id) => {
      await call("developer", id, "PATCH", `/v1/developer/apps/${made.app}/features/audited`, {
        display_name: "Audited twice",
      });
      return `${made.app}/audited`;
    },
  },
  {
    action: "provider_key.create",
    actor: "admin",
    resourceType: "provider_key",
    perform: async (id) => {
      const body = await call("developer", id, "POST", "/v1/developer/provider-keys", {
        developer_id: made.developer,
        provider: "openai",
        api_key: DEVELOPER_PROVIDER_KEY,
      });
      return (made.developerKey = body.id!);
    },
  },
  {
    action: "provider_key.delete",
    actor: "admin",
    resourceType: "provider_key",
    perform: async (id) => {
      await call(
        "developer",
        id,
        "DELETE",
        `/v1/developer/provider-keys/${made.developerKey}?developer_id=${made.developer}`,
      );
      return made.developerKey!;
    },
  },
  {
    action: "provider_key.create",
    actor: "end_user",
    resourceType: "provider_key",
    perform: async (id) => {
      const minted = await call("stripe", `${id}-mint`, "POST", "/v1/sessions", {
        public_app_id: made.app,
        external_user_id: "audited-user",
      });
      made.session = minted.session_token!;
      secrets.push(made.session);
      made.wallet = (await call("session", `${id}-wallet`, "GET", "/v1/user/wallet")).wallet_id!;
      const body = await call("session", id, "POST", "/v1/user/provider-keys", {
        provider: "openai",
        api_key: USER_PROVIDER_KEY,
      });
      return body.id!;
    },
  },
  {
    action: "wallet.credit_test_balance",
    actor: "admin",
    resourceType: "wallet",
    perform: async (id) => {
      await call("admin", id, "POST", `/v1/admin/wallets/${made.wallet}/credit-test-balance`, { amount_usd: "5.00" });
      return made.wallet!;
    },
  },
  {
    action: "wallet.adjustment_credit",
    actor: "admin",
    resourceType: "wallet",
    perform: async (id) => {
      await call("admin", id, "POST", `/v1/admin/wallets/${made.wallet}/adjustments`, {
        kind: "adjustment",
        direction: "credit",
        amount_usd: "1.00",
        reason: "goodwill",
      });
      return made.wallet!;
    },
  },
  {
    action: "top_up.checkout_create",
    actor: "end_user",
    resourceType: "top_up",
    perform: async (id) => {
      const body = await call("session", id, "POST", "/v1/user/stripe/checkout-sessions", {
        amount_usd: "10.00",
        success_url: "https://app.test/ok",
        cancel_url: "https://app.test/cancel",
      });
      made.checkoutSession = body.checkout_session_id!;
      return (made.topUp = body.top_up_id!);
    },
  },
  {
    action: "top_up.credit",
    actor: "system",
    resourceType: "top_up",
    perform: async (id) => {
      await call("stripe", id, "POST", "/v1/stripe/webhook", {
        id: "evt_audit_1",
        object: "event",
        type: "checkout.session.completed",
        livemode: false,
        created: 1_790_000_000,
        data: {
          object: {
            id: made.checkoutSession,
            object: "checkout.session",
            payment_status: "paid",
            amount_total: 1000,
            currency: "usd",
            client_reference_id: made.topUp,
            metadata: { top_up_id: made.topUp, end_user_id: made.wallet },
            payment_intent: "pi_audit_1",
          },
        },
      });
      return made.topUp!;
    },
  },
  {
    action: "payouts.run",
    actor: "admin",
    resourceType: "payout_run",
    perform: async (id) => {
      await earn(made.developer!, 2_000_000_000n);
      const body = await call("admin", id, "POST", "/v1/admin/payouts/run", { threshold_usd: "1.00" });
      made.payout = (body as unknown as { created: Array<{ id: string; developer_id: string }> }).created.find(
        (payout) => payout.developer_id === made.developer,
      )!.id;
      return (body as unknown as { run_id: string }).run_id;
    },
  },
  {
    action: "payout.approve",
    actor: "admin",
    resourceType: "payout",
    perform: async (id) => (await call("admin", id, "POST", `/v1/admin/payouts/${made.payout}/approve`, {})).id!,
  },
  {
    action: "payout.mark_paid",
    actor: "admin",
    resourceType: "payout",
    perform: async (id) => (await call("admin", id, "POST", `/v1/admin/payouts/${made.payout}/mark-paid`, {})).id!,
  },
  {
    action: "model.create",
    actor: "admin",
    resourceType: "model",
    perform: async (id) => {
      await call("admin", id, "POST", "/v1/admin/models", {
        id: "audit-model",
        provider: "mock",
        input_usd_per_mtok: "1.00",
        output_usd_per_mtok: "2.00",
        context_window: 8192,
        max_output_tokens: 1024,
      });
      return "audit-model";
    },
  },
  {
    action: "model.retire",
    actor: "admin",
    resourceType: "model",
    perform: async (id) => {
      await call("admin", id, "DELETE", "/v1/admin/models/audit-model");
      return "audit-model";
    },
  },
  {
    action: "feature.archive",
    actor: "admin",
    resourceType: "feature",
    perform: async (id) => {
      await call("developer", id, "DELETE", `/v1/developer/apps/${made.app}/features/audited`);
      return `${made.app}/audited`;
    },
  },
  {
    action: "app.archive",
    actor: "admin",
    resourceType: "app",
    perform: async (id) => (await call("developer", id, "DELETE", `/v1/developer/apps/${made.app}`)).public_app_id!,
  },
];

/** A developer's earnings, as settled usage would leave them (set-up, not an audited action). */
async function earn(developerId: string, amount: bigint): Promise<void> {
  await ensureAccount(database.db, { id: accountIds.developer(developerId), kind: "developer", ownerId: developerId });
  for (const [id, debit, credit] of [
    [`audit_funding:${developerId}`, PLATFORM_ACCOUNTS.externalFunding, PLATFORM_ACCOUNTS.usageClearing],
    [`audit_earning:${developerId}`, PLATFORM_ACCOUNTS.usageClearing, accountIds.developer(developerId)],
  ] as const) {
    const result = await createTransfer(database.db, {
      kind: "posted",
      id,
      debitAccountId: debit,
      creditAccountId: credit,
      amount,
      code: id.startsWith("audit_funding") ? TRANSFER_CODES.testCredit : TRANSFER_CODES.usageDeveloperShare,
    });
    expect(result.result).toBe("created");
  }
}

interface AuditRow {
  actor_type: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  request_id: string;
}

describe("audit log coverage", () => {
  it.each(actions.map((action, index) => [action.action, action.actor, index] as const))(
    "%s by %s appends one entry with actor, resource and request id",
    async (_action, _actor, index) => {
      const action = actions[index]!;
      const requestId = `req_audit_${index}`;
      const resourceId = await action.perform(requestId);
      const { rows } = await database.db.query<AuditRow>(
        "SELECT actor_type, action, resource_type, resource_id, request_id FROM audit_logs WHERE request_id = $1",
        [requestId],
      );
      const entry = rows.find((row) => row.action === action.action);
      expect(entry, `no ${action.action} entry under ${requestId}: ${JSON.stringify(rows)}`).toBeDefined();
      expect(entry).toMatchObject({ actor_type: action.actor, resource_type: action.resourceType });
      expect(entry!.resource_id).toBe(resourceId);
    },
  );

  it("no audit row holds a secret, and the log refuses changes", async () => {
    const { rows } = await database.db.query("SELECT * FROM audit_logs");
    const dump = JSON.stringify(rows);
    for (const secret of secrets) expect(dump).not.toContain(secret);
    await expect(database.db.query("UPDATE audit_logs SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(database.db.query("DELETE FROM audit_logs")).rejects.toThrow(/append-only/);
  });
});
