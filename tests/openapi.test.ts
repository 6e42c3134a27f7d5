// GET /openapi.json on both services: an OpenAPI 3.1 document generated from
// the contracts the routes declare and parse with. Every registered route must
// be in it (a route without a contract fails here), and what the routes really
// send must match the response schemas the document (and the SDK) are built on.
import { errorEnvelopeSchema } from "@modelfaucet/contract";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

const services = () =>
  [
    ["Control API", stack.api],
    ["Gateway", stack.gateway],
  ] as const;

type Json = Record<string, unknown>;

/** Every `$ref` in the document, with the JSON pointer it names. */
function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsOf(item, found);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") found.push(item);
      else refsOf(item, found);
    }
  }
  return found;
}

const resolve = (document: Json, ref: string) =>
  ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], document);

describe("GET /openapi.json", () => {
  it("documents every registered route, with its method, parameters, body, security and the error envelope", async () => {
    for (const [name, app] of services()) {
      const response = await app.inject({ method: "GET", url: "/openapi.json" });
      expect(response.statusCode, name).toBe(200);
      const document = response.json<Json & { paths: Record<string, Record<string, Json>> }>();
      expect(document.openapi).toBe("3.1.0");
      expect(document).toEqual(JSON.parse(JSON.stringify(app.openapi.document())));

      // Fastify's routes, as its onRoute hook saw them: each declares a contract...
      const undocumented = app.openapi.routes.filter((route) => !route.contract);
      expect(
        undocumented.map((route) => `${route.method} ${route.url}`),
        name,
      ).toEqual([]);
      expect(app.openapi.routes.length, name).toBeGreaterThan(3);

      // ...and is an operation of the document, whose path parameters are all declared.
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
      );
      expect(operations).toHaveLength(app.openapi.routes.length);
      for (const route of app.openapi.routes) {
        const pattern = `^${route.url.replace(/:\w+/g, "\\{\\w+\\}").replace(/\*$/, "\\{\\w+\\}")}$`;
        const found = operations.filter(
          ({ path, method }) => method === route.method.toLowerCase() && new RegExp(pattern).test(path),
        );
        expect(found, `${name}: ${route.method} ${route.url}`).toHaveLength(1);
        const { path, operation } = found[0]!;
        const declared = (operation.parameters as Array<{ name: string; in: string }>)
          .filter((parameter) => parameter.in === "path")
          .map((parameter) => parameter.name);
        expect(declared.sort(), path).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort());
        expect(Boolean(operation.requestBody), `${route.method} ${path}`).toBe(Boolean(route.contract!.body));
        expect(operation.responses, path).toMatchObject({
          "4XX": { $ref: "#/components/responses/Error" },
          "5XX": { $ref: "#/components/responses/Error" },
        });
        for (const alternative of operation.security as Json[]) {
          for (const scheme of Object.keys(alternative)) {
            expect(resolve(document, `#/components/securitySchemes/${scheme}`), scheme).toBeDefined();
          }
        }
      }
      for (const ref of refsOf(document)) expect(resolve(document, ref), ref).toBeDefined();
    }
  });

  it("describes the request bodies the routes validate", async () => {
    const api = stack.api.openapi.document().paths;
    const session = api["/v1/sessions"]!.post as Json & { requestBody: Json };
    const sessionBody = (session.requestBody.content as Json)["application/json"] as { schema: Json };
    expect(sessionBody.schema).toMatchObject({
      type: "object",
      required: ["public_app_id", "external_user_id"],
      properties: { public_app_id: { type: "string", maxLength: 100 } },
    });
    expect(session.security).toEqual([{}, { appSecretKey: [] }]);
    const adjustment = api["/v1/admin/wallets/{id}/adjustments"]!.post as Json & { requestBody: Json };
    expect(JSON.stringify(adjustment.requestBody)).toContain('"enum":["adjustment","refund","chargeback"]');
    expect(api["/v1/developer/apps/{publicAppId}/features/{featureKey}"]!.patch).toMatchObject({
      requestBody: { content: { "application/merge-patch+json": {} } },
    });
    expect(api["/v1/admin/models/{id}"]!.delete).toMatchObject({ security: [{ adminToken: [] }] });

    const gateway = stack.gateway.openapi.document();
    const chat = gateway.paths["/v1/chat/completions"]!.post as Json & { requestBody: Json; responses: Json };
    expect(((chat.requestBody.content as Json)["application/json"] as { schema: Json }).schema).toMatchObject({
      required: ["model", "messages"],
      additionalProperties: {},
    });
    expect(Object.keys((chat.responses["200"] as { content: Json }).content)).toEqual([
      "application/json",
      "text/event-stream",
    ]);
    expect(Object.keys(gateway.components.securitySchemes!)).toEqual(["developerToken", "session"]);
    expect(gateway.paths["/v1/generation/{request_id}"]!.get).toMatchObject({
      security: [{ session: [] }, { developerToken: [] }],
    });
  });
});

/** Calls a route and checks what it sent against the route's contract (or the error envelope). */
async function sent(
  app: FastifyInstance,
  request: { method: string; pattern: string; url?: string; token?: string; body?: unknown },
  status: number,
): Promise<Json> {
  const response = await app.inject({
    method: request.method as "GET",
    url: request.url ?? request.pattern,
    headers: request.token ? { authorization: `Bearer ${request.token}` } : {},
    ...(request.body === undefined ? {} : { payload: request.body as Json }),
  });
  const where = `${request.method} ${request.url ?? request.pattern}`;
  expect(response.statusCode, `${where}: ${response.body}`).toBe(status);
  const route = app.openapi.routes.find((each) => each.method === request.method && each.url === request.pattern);
  const schema = status >= 400 ? errorEnvelopeSchema : route?.contract?.response;
  expect(schema, where).toBeDefined();
  const body = response.json<Json>();
  // Parsing strips what a schema does not name: equality means nothing sent is undocumented.
  expect(schema!.parse(body), where).toEqual(body);
  return body;
}

describe("what the routes send matches their contract", () => {
  it("sessions, wallets, local endpoints, provider keys and the Gateway's answers", async () => {
    const { api, gateway } = stack;
    const grant = await sent(
      api,
      { method: "POST", pattern: "/v1/sessions", body: { public_app_id: "app_demo", external_user_id: "oa-1" } },
      200,
    );
    const token = grant.session_token as string;
    const wallet = await sent(api, { method: "GET", pattern: "/v1/user/wallet", token }, 200);
    const walletId = wallet.wallet_id as string;
    await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/admin/wallets/:id/credit-test-balance",
        url: `/v1/admin/wallets/${walletId}/credit-test-balance`,
        token: ADMIN_TOKEN,
        body: { amount_usd: "1.00" },
      },
      200,
    );

    const chat = { model: "mock-small", messages: [{ role: "user", content: "Hello" }] };
    const answer = await sent(gateway, { method: "POST", pattern: "/v1/chat/completions", token, body: chat }, 200);
    const generation = `/v1/generation/${(answer.modelfaucet as Json).request_id as string}`;
    await sent(gateway, { method: "GET", pattern: "/v1/generation/*", url: generation, token }, 200);
    const byDeveloper = { method: "GET", pattern: "/v1/generation/*", url: generation, token: DEVELOPER_ADMIN_TOKEN };
    expect((await sent(gateway, byDeveloper, 200)).split).not.toBeNull();
    const embed = { model: "mock-embed", input: ["one", "two"] };
    await sent(gateway, { method: "POST", pattern: "/v1/embeddings", token, body: embed }, 200);
    await sent(
      gateway,
      { method: "POST", pattern: "/v1/responses", token, body: { model: "mock-small", input: "Hi" } },
      200,
    );
    await sent(gateway, { method: "GET", pattern: "/v1/models", token }, 200);
    await sent(gateway, { method: "GET", pattern: "/v1/models/*", url: "/v1/models/mock-small", token }, 200);
    await sent(gateway, { method: "GET", pattern: "/health/providers" }, 200);
    const recent = await sent(api, { method: "GET", pattern: "/v1/user/wallet", token }, 200);
    expect((recent.recent as unknown[]).length).toBeGreaterThan(1);

    const endpoint = { name: "laptop", runtime: "ollama", models: ["llama3.1:8b"] };
    await sent(api, { method: "POST", pattern: "/v1/local/endpoints", token, body: endpoint }, 201);
    await sent(api, { method: "GET", pattern: "/v1/local/endpoints", token }, 200);
    const key = await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/user/provider-keys",
        token,
        body: { provider: "openai", api_key: "sk-test-0123456789" },
      },
      201,
    );
    await sent(api, { method: "GET", pattern: "/v1/user/provider-keys", token }, 200);
    const keyUrl = `/v1/user/provider-keys/${key.id as string}`;
    await sent(api, { method: "DELETE", pattern: "/v1/user/provider-keys/:id", url: keyUrl, token }, 200);

    // Failures: the envelope, with the 402's amounts.
    const poor = (
      await sent(
        api,
        { method: "POST", pattern: "/v1/sessions", body: { public_app_id: "app_demo", external_user_id: "oa-2" } },
        200,
      )
    ).session_token as string;
    const refused = await sent(
      gateway,
      { method: "POST", pattern: "/v1/chat/completions", token: poor, body: chat },
      402,
    );
    expect(refused.error).toMatchObject({ code: "insufficient_balance", needed_usd: expect.any(String) });
    await sent(api, { method: "POST", pattern: "/v1/sessions", body: { public_app_id: "" } }, 400);
    const checkout = { amount_usd: "5.00", success_url: "https://a.example/ok", cancel_url: "https://a.example/no" };
    await sent(api, { method: "POST", pattern: "/v1/user/stripe/checkout-sessions", token, body: checkout }, 503);
    await sent(gateway, { method: "GET", pattern: "/v1/models", token: "mf_sess_nope" }, 401);
  });

  it("the developer console and the operator's routes", async () => {
    const { api } = stack;
    const admin = ADMIN_TOKEN;
    const developer = await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/admin/developers",
        token: admin,
        body: { name: "Ada", email: "ada@example.com" },
      },
      201,
    );
    await sent(api, { method: "GET", pattern: "/v1/admin/developers", token: admin }, 200);
    const dev = DEVELOPER_ADMIN_TOKEN;
    const developerId = developer.id as string;
    const app = await sent(
      api,
      { method: "POST", pattern: "/v1/developer/apps", token: dev, body: { developer_id: developerId, name: "CRM" } },
      201,
    );
    const appUrl = `/v1/developer/apps/${app.public_app_id as string}`;
    await sent(
      api,
      {
        method: "GET",
        pattern: "/v1/developer/apps",
        url: `/v1/developer/apps?developer_id=${developerId}`,
        token: dev,
      },
      200,
    );
    await sent(
      api,
      { method: "PATCH", pattern: "/v1/developer/apps/:publicAppId", url: appUrl, token: dev, body: { name: "CRM 2" } },
      200,
    );
    const secret = await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/developer/apps/:publicAppId/secret-keys",
        url: `${appUrl}/secret-keys`,
        token: dev,
      },
      201,
    );
    const secretUrl = `${appUrl}/secret-keys/${secret.id as string}`;
    await sent(
      api,
      { method: "DELETE", pattern: "/v1/developer/apps/:publicAppId/secret-keys/:id", url: secretUrl, token: dev },
      200,
    );
    const manifest = {
      feature_key: "reply",
      display_name: "Reply",
      policy: { default_model: "mock-small" },
      pricing: { markup_percent: 30, channel_share_bps: 4000 },
    };
    const features = `${appUrl}/features`;
    await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/developer/apps/:publicAppId/features",
        url: features,
        token: dev,
        body: manifest,
      },
      201,
    );
    await sent(
      api,
      { method: "GET", pattern: "/v1/developer/apps/:publicAppId/features", url: features, token: dev },
      200,
    );
    const feature = { url: `${features}/reply`, token: dev };
    await sent(
      api,
      {
        method: "PATCH",
        pattern: "/v1/developer/apps/:publicAppId/features/:featureKey",
        ...feature,
        body: { display_name: "Answer" },
      },
      200,
    );
    await sent(
      api,
      { method: "DELETE", pattern: "/v1/developer/apps/:publicAppId/features/:featureKey", ...feature },
      200,
    );
    await sent(api, { method: "DELETE", pattern: "/v1/developer/apps/:publicAppId", url: appUrl, token: dev }, 200);

    const created = await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/developer/tokens",
        token: dev,
        body: {
          developer_id: developerId,
          name: "ci",
          scopes: ["developer:operations:read", "developer:provider_keys:write"],
        },
      },
      201,
    );
    const own = created.token as string;
    await sent(
      api,
      {
        method: "GET",
        pattern: "/v1/developer/tokens",
        url: `/v1/developer/tokens?developer_id=${developerId}`,
        token: dev,
      },
      200,
    );
    const devKey = await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/developer/provider-keys",
        token: own,
        body: { provider: "openai", api_key: "sk-dev-0123456789", budget_limit_usd: "2" },
      },
      201,
    );
    const devKeyUrl = `/v1/developer/provider-keys/${devKey.id as string}`;
    await sent(
      api,
      {
        method: "PATCH",
        pattern: "/v1/developer/provider-keys/:id",
        url: devKeyUrl,
        token: own,
        body: { budget_limit_usd: null },
      },
      200,
    );
    await sent(api, { method: "DELETE", pattern: "/v1/developer/provider-keys/:id", url: devKeyUrl, token: own }, 200);
    await sent(api, { method: "GET", pattern: "/v1/developer/operations", token: own }, 200);
    await sent(
      api,
      {
        method: "GET",
        pattern: "/v1/developers/:id/revenue",
        url: `/v1/developers/${developerId}/revenue?group_by=day`,
        token: own,
      },
      200,
    );
    await sent(
      api,
      {
        method: "DELETE",
        pattern: "/v1/developer/tokens/:id",
        url: `/v1/developer/tokens/${created.id as string}`,
        token: dev,
      },
      200,
    );

    // The demo app's usage, after a billed request.
    const { token } = await stack.user("oa-usage", "1.00");
    await stack
      .client(token)
      .chat.completions.create({ model: "mock-small", messages: [{ role: "user", content: "Hi" }] });
    const usage = await sent(
      api,
      { method: "GET", pattern: "/v1/apps/:publicAppId/usage", url: "/v1/apps/app_demo/usage", token: dev },
      200,
    );
    expect((usage.items as unknown[]).length).toBeGreaterThan(0);
    await sent(
      api,
      { method: "GET", pattern: "/v1/developers/:id/revenue", url: "/v1/developers/dev_demo/revenue", token: dev },
      200,
    );

    const model = {
      id: "oa-model",
      provider: "mock",
      input_usd_per_mtok: "1",
      output_usd_per_mtok: "2",
      context_window: 1000,
      max_output_tokens: 100,
    };
    await sent(api, { method: "POST", pattern: "/v1/admin/models", token: admin, body: model }, 201);
    await sent(api, { method: "GET", pattern: "/v1/admin/models", token: admin }, 200);
    await sent(
      api,
      { method: "DELETE", pattern: "/v1/admin/models/*", url: "/v1/admin/models/oa-model", token: admin },
      200,
    );
    const run = await sent(
      api,
      { method: "POST", pattern: "/v1/admin/payouts/run", token: admin, body: { threshold_usd: "0.00000001" } },
      200,
    );
    expect((run.created as unknown[]).length).toBeGreaterThan(0);
    const payout = (run.created as Json[])[0]!.id as string;
    await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/admin/payouts/:id/approve",
        url: `/v1/admin/payouts/${payout}/approve`,
        token: admin,
        body: {},
      },
      200,
    );
    await sent(api, { method: "GET", pattern: "/v1/admin/payouts", token: admin }, 200);
    await sent(
      api,
      { method: "GET", pattern: "/v1/admin/payouts/:id", url: `/v1/admin/payouts/${payout}`, token: admin },
      200,
    );
    await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/admin/payouts/:id/cancel",
        url: `/v1/admin/payouts/${payout}/cancel`,
        token: admin,
        body: {},
      },
      200,
    );
    const wallet = (await stack.wallet(token)).wallet_id;
    const adjustment = { kind: "refund", direction: "credit", amount_usd: "0.10", reason: "goodwill" };
    await sent(
      api,
      {
        method: "POST",
        pattern: "/v1/admin/wallets/:id/adjustments",
        url: `/v1/admin/wallets/${wallet}/adjustments`,
        token: admin,
        body: adjustment,
      },
      200,
    );
    await sent(api, { method: "GET", pattern: "/v1/admin/reconciliation/ledger", token: admin }, 200);
    await sent(api, { method: "GET", pattern: "/health" }, 200);
    await sent(api, { method: "GET", pattern: "/ready" }, 200);
  });
});
