import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { UserLimits } from "@modelfaucet/contract";
import { testRedisUrl } from "@modelfaucet/db/testing";
import { buildGateway } from "@modelfaucet/gateway";
import { reconcile } from "@modelfaucet/ledger";
import { countChatPromptTokens } from "@modelfaucet/providers";
import { connectRedis, createLogger, type Redis } from "@modelfaucet/server-kit";
import { testConfig } from "@modelfaucet/server-kit/testing";
import type { FastifyInstance } from "fastify";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText } from "./helpers/prometheus-text.js";
import { DEVELOPER_ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Per-end-user requests and tokens per minute (policy.limits), through HTTP
// with the official openai client (maxRetries 0: it would retry a 429 by
// itself). With TEST_REDIS_URL the counts live in Redis. Feature keys are
// fresh per run: Redis keeps a minute's counts beyond one run.

const run = randomBytes(4).toString("hex");
const MAX_TOKENS = 256;
const ask = (feature: string, extra: Record<string, unknown> = {}) => ({
  model: "mock-small",
  max_tokens: MAX_TOKENS,
  messages,
  metadata: { feature_key: feature },
  ...extra,
});

const messages = [{ role: "user" as const, content: "hello there" }];
// The mock upstream answers REPLY_TOKENS tokens and reports the prompt as the Gateway counts it.
const REPLY_TOKENS = 8;
/** Tokens one request of `ask` uses, and the most it may use (what its admission counts). */
const used = countChatPromptTokens(messages) + REPLY_TOKENS;
const worstCase = countChatPromptTokens(messages) + MAX_TOKENS;

// Every feature of the file, created before the first request (the Gateway re-reads an app's features every 5 s).
const LIMITS = {
  rpm: { requests_per_minute: 3 },
  rpm_users: { requests_per_minute: 2 },
  rpm_ledger: { requests_per_minute: 1 },
  free: undefined,
  // Room for one worst case plus two requests' actual use.
  tpm: { tokens_per_minute: worstCase + 2 * used },
  tpm_small: { tokens_per_minute: worstCase - 1 },
  tpm_embed: { tokens_per_minute: 5 },
  shared: { requests_per_minute: 4 },
} as const;
const keyOf = (name: keyof typeof LIMITS) => `${name}_${run}`;

let redis: Redis | undefined;
let stack: RoutingStack;

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

beforeAll(async () => {
  const url = testRedisUrl();
  redis = url ? connectRedis(url, createLogger({ level: "silent" })) : undefined;
  stack = await startRoutingStack({ redis });
  stack.platform.setBehavior({ replyTokens: REPLY_TOKENS });
  for (const [name, limits] of Object.entries(LIMITS)) {
    const embedding = name === "tpm_embed" ? { default_model: "mock-embed" } : {};
    await stack.feature(keyOf(name as keyof typeof LIMITS), {
      route_preference: ["platform_pool"],
      ...embedding,
      ...(limits ? { limits } : {}),
    });
  }
  // The refund test needs the worst case to be well above what a request uses.
  expect(worstCase).toBeGreaterThan(2 * used);
});
afterAll(async () => {
  await stack.close();
  redis?.disconnect();
});

describe("requests per minute", () => {
  it("lets exactly N requests through, refuses the next with 429 and Retry-After, and counts it", async () => {
    const key = keyOf("rpm");
    const { token } = await stack.user(`rpm-a-${run}`, "10.00");
    const client = stack.client(token);
    for (let i = 0; i < 3; i++) await client.chat.completions.create(ask(key));
    const refused = await refusal(client.chat.completions.create(ask(key)));
    expect(refused.status).toBe(429);
    expect(refused.code).toBe("rate_limited");
    expect(refused.message).toContain("3 requests per minute per user");
    const retryAfter = Number(refused.headers?.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const retryAfterMs = Number(refused.headers?.get("retry-after-ms"));
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(Math.ceil(retryAfterMs / 1000)).toBe(retryAfter);
    // The refused request never counted: still exactly one over.
    expect((await refusal(client.chat.completions.create(ask(key)))).status).toBe(429);

    const metrics = parsePrometheusText(await (await fetch(`${stack.gatewayUrl}/metrics`)).text());
    const counted = metrics.find(
      (sample) => sample.name === "modelfaucet_rate_limited_total" && sample.labels.route === "/v1/chat/completions",
    );
    expect(counted?.value).toBeGreaterThanOrEqual(2);
  });

  it("counts each end user on their own", async () => {
    const key = keyOf("rpm_users");
    const a = stack.client((await stack.user(`rpm-users-a-${run}`, "10.00")).token);
    const b = stack.client((await stack.user(`rpm-users-b-${run}`, "10.00")).token);
    await a.chat.completions.create(ask(key));
    await a.chat.completions.create(ask(key));
    expect((await refusal(a.chat.completions.create(ask(key)))).status).toBe(429);
    await b.chat.completions.create(ask(key));
    await b.chat.completions.create(ask(key));
    expect((await refusal(b.chat.completions.create(ask(key)))).status).toBe(429);
  });

  it("holds and bills nothing for a refused request", async () => {
    const key = keyOf("rpm_ledger");
    const { token } = await stack.user(`rpm-ledger-${run}`, "10.00");
    const client = stack.client(token);
    await client.chat.completions.create(ask(key));
    const before = await stack.wallet(token);
    const calls = stack.platform.calls.count;
    const requestId = `refused-${run}`;
    const refused = await refusal(client.chat.completions.create(ask(key), { headers: { "x-request-id": requestId } }));
    expect(refused.status).toBe(429);
    expect(stack.platform.calls.count).toBe(calls);
    expect(await stack.usageEvent(requestId)).toBeUndefined();
    expect(await stack.wallet(token)).toEqual(before);
    expect(before.held_usd).toBe("0.00000000");
    expect((await reconcile(stack.database.db)).ok).toBe(true);
  });

  it("leaves a feature without limits alone", async () => {
    const key = keyOf("free");
    const client = stack.client((await stack.user(`free-${run}`, "10.00")).token);
    const answers = await Promise.all(Array.from({ length: 8 }, () => client.chat.completions.create(ask(key))));
    expect(answers).toHaveLength(8);
  });
});

describe("tokens per minute", () => {
  it("counts a request's worst case at admission and gives back what it did not use", async () => {
    // Room for one worst case plus two requests' actual use: three requests pass one after another only
    // because each gives its unused tokens back (without that, the second would be refused).
    const key = keyOf("tpm");
    const { token } = await stack.user(`tpm-${run}`, "10.00");
    const client = stack.client(token);
    await client.chat.completions.create(ask(key));
    // A stream gives back at its end too.
    const stream = await client.chat.completions.create({ ...ask(key), stream: true });
    for await (const chunk of stream) void chunk;
    await client.chat.completions.create(ask(key));
    const refused = await refusal(client.chat.completions.create(ask(key)));
    expect(refused.status).toBe(429);
    expect(refused.message).toContain(`allows ${worstCase + 2 * used} tokens per minute per user`);
    expect(Number(refused.headers?.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // What is left (the limit less three requests' use) still admits a request whose worst case fits it.
    await client.chat.completions.create(ask(key, { max_tokens: MAX_TOKENS - used }));
    expect((await reconcile(stack.database.db)).ok).toBe(true);
  });

  it("refuses for good a request whose own worst case is above the limit", async () => {
    const key = keyOf("tpm_small");
    const client = stack.client((await stack.user(`tpm-small-${run}`, "10.00")).token);
    const refused = await refusal(client.chat.completions.create(ask(key)));
    expect(refused.status).toBe(429);
    expect(refused.code).toBe("rate_limited");
    expect(refused.message).toContain(`may use up to ${worstCase} tokens`);
    expect(refused.message).toContain("lower max_tokens");
    expect(refused.headers?.get("retry-after")).toBeNull();
    expect(refused.headers?.get("x-should-retry")).toBe("false");
    // Nothing was counted: a request that fits passes.
    await client.chat.completions.create(ask(key, { max_tokens: MAX_TOKENS - 1 }));
  });

  it("counts embeddings by their input", async () => {
    const key = keyOf("tpm_embed");
    const client = stack.client((await stack.user(`tpm-embed-${run}`, "10.00")).token);
    const embed = (input: string) => client.embeddings.create({ model: `auto:${key}`, input });
    await embed("one two");
    const refused = await refusal(embed("one two three four five six seven eight nine ten"));
    expect(refused.status).toBe(429);
    expect(refused.message).toContain("more than the 5 tokens per minute");
  });
});

describe("an app's per-minute limits", () => {
  // A stack of its own: the app's limits apply to every feature of the app, this file's other ones included.
  let appStack: RoutingStack;
  const [first, second] = [`app_first_${run}`, `app_second_${run}`];
  beforeAll(async () => {
    appStack = await startRoutingStack({ redis });
    await appStack.feature(first, { route_preference: ["platform_pool"], limits: { requests_per_minute: 2 } });
    await appStack.feature(second, { route_preference: ["platform_pool"] });
    const patched = await appStack.fetchApi("/v1/developer/apps/app_demo?developer_id=dev_demo", {
      method: "PATCH",
      token: DEVELOPER_ADMIN_TOKEN,
      body: { limits: { requests_per_minute: 3 } },
    });
    expect(patched.status).toBe(200);
  });
  afterAll(() => appStack.close());

  it("counts each end user across the app's features, and a feature's own limit within them", async () => {
    const { token } = await appStack.user(`app-${run}`, "10.00");
    const client = appStack.client(token);
    await client.chat.completions.create(ask(first));
    await client.chat.completions.create(ask(first));
    const featureRefusal = await refusal(client.chat.completions.create(ask(first)));
    expect(featureRefusal.message).toContain("this feature allows 2 requests per minute");
    // The feature's refusal counted nowhere: the app's count is 2 of 3.
    await client.chat.completions.create(ask(second));
    const appRefusal = await refusal(client.chat.completions.create(ask(second)));
    expect(appRefusal.status).toBe(429);
    expect(appRefusal.message).toContain("this app allows 3 requests per minute");
    // GET /v1/user/limits shows what is left this minute when the count is shared (Redis), else null.
    const limits = (await (await appStack.fetchApi("/v1/user/limits", { token })).json()) as UserLimits;
    const shared = redis !== undefined;
    const app = limits.rate_limits.find((rate) => rate.source === "app");
    expect(app).toMatchObject({
      requests_per_minute: 3,
      requests_remaining: shared ? 0 : null,
      tokens_remaining: null,
    });
    const own = limits.rate_limits.find((rate) => rate.feature_key === first);
    expect(own).toMatchObject({ requests_per_minute: 2, requests_remaining: shared ? 0 : null });
    if (shared) expect(Date.parse(app!.resets_at!) - Date.now()).toBeGreaterThan(0);
    else expect(app!.resets_at).toBeNull();
    // Another end user of the app has a count of their own.
    const other = appStack.client((await appStack.user(`app-other-${run}`, "10.00")).token);
    await other.chat.completions.create(ask(second));
    expect((await reconcile(appStack.database.db)).ok).toBe(true);
  });
});

describe.runIf(testRedisUrl())("across Gateway instances", () => {
  let second: FastifyInstance;
  let secondRedis: Redis;
  beforeAll(async () => {
    secondRedis = connectRedis(testRedisUrl()!, createLogger({ level: "silent" }));
    second = await buildGateway({
      config: testConfig({ MOCK_UPSTREAM_URL: stack.platform.url }),
      db: stack.database.db,
      logger: createLogger({ level: "silent" }),
      redis: secondRedis,
    });
    await second.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await second.close();
    secondRedis.disconnect();
  });

  it("enforces one limit for a user whose requests land on two Gateways", async () => {
    const key = keyOf("shared");
    const { token } = await stack.user(`shared-${run}`, "10.00");
    const secondUrl = `http://127.0.0.1:${(second.server.address() as AddressInfo).port}/v1`;
    const clients = [stack.client(token), new OpenAI({ baseURL: secondUrl, apiKey: token, maxRetries: 0 })];
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        clients[i % 2]!.chat.completions.create(ask(key)).then(
          () => 200,
          (error: unknown) => (error as InstanceType<typeof OpenAI.APIError>).status,
        ),
      ),
    );
    expect(outcomes.filter((status) => status === 200)).toHaveLength(4);
    expect(outcomes.filter((status) => status === 429)).toHaveLength(6);
    expect((await reconcile(stack.database.db)).ok).toBe(true);
  });
});
