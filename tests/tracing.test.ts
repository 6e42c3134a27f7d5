// OpenTelemetry traces of the Gateway (issue 15, item 6): one SERVER span
// per request — its `request_id` the `x-request-id` the client saw — with a
// child span for authentication, the hold, each upstream attempt and the
// settlement, streams included; the GenAI attributes (model, tokens) equal
// the usage event; no prompt, answer, token or key in any attribute or
// event. Tracing is off without OTEL_EXPORTER_OTLP_ENDPOINT: then no span at
// all. Spans go to an in-memory exporter in place of OTLP, through the
// official openai client.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { buildGateway } from "@modelfaucet/gateway";
import { createLogger } from "@modelfaucet/server-kit";
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  testConfig,
  type ReadableSpan,
} from "@modelfaucet/server-kit/testing";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Nothing listens on port 1 of loopback: a connection-refused upstream, allowed by the URL guard.
const DEAD_URL = "http://127.0.0.1:1/v1";
// Words no span may carry: they are only in the prompts.
const SECRET_WORDS = "periwinkle-lighthouse-4471";
const messages = [{ role: "user" as const, content: `Describe the ${SECRET_WORDS} in one line.` }];
const SPAN_KIND_SERVER = 1;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

/** The part of an OTLP/HTTP JSON export the test reads. */
interface OtlpTraces {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: unknown }> };
    scopeSpans: Array<{ spans: Array<{ name: string }> }>;
  }>;
}

const exporter = new InMemorySpanExporter();
let stack: RoutingStack;
let token: string;
let client: OpenAI;
/** Everything a span must not contain: the prompt's words, answers, the session token, the BYOK key. */
const forbidden: string[] = [SECRET_WORDS];

beforeAll(async () => {
  stack = await startRoutingStack({
    gatewayEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" },
    tracing: { spanProcessor: new SimpleSpanProcessor(exporter) },
    reliability: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } },
  });
  await stack.feature("traced", { route_preference: ["platform_pool"] });
  await stack.feature("traced_fallback", { route_preference: ["end_user_byok", "platform_pool"] });
  const user = await stack.user("traced-user", "5.00");
  token = user.token;
  client = stack.client(token);
  forbidden.push(token, stack.byokKey);
});
afterAll(async () => {
  await stack.close();
});
afterEach(async () => {
  expect(await stack.reconciled()).toBe(true);
});

/** The request's span tree, once its SERVER span has ended (after the answer reached the client, for a stream too). */
async function traceOf(requestId: string) {
  const root = await vi.waitFor(() => {
    const found = exporter
      .getFinishedSpans()
      .find((span) => span.kind === SPAN_KIND_SERVER && span.attributes.request_id === requestId);
    if (!found) throw new Error(`no span yet for ${requestId}`);
    return found;
  });
  const { traceId, spanId } = root.spanContext();
  const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const children = spans
    .filter((span) => span.parentSpanContext?.spanId === spanId)
    .sort((a, b) => compareTime(a.startTime, b.startTime));
  return { root, spans, children };
}

const compareTime = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

async function usageEvent(requestId: string) {
  const event = await stack.usageEvent(requestId);
  if (!event) throw new Error(`no usage event for ${requestId}`);
  return event as { input_tokens: number; output_tokens: number; retail_units: string; model: string };
}

/** Every string a span carries: its name, attribute values, event names and event attribute values. */
function textsOf(span: ReadableSpan): string[] {
  return [
    span.name,
    ...Object.values(span.attributes).map(String),
    ...span.events.flatMap((event) => [event.name, ...Object.values(event.attributes ?? {}).map(String)]),
  ];
}

function expectNothingForbidden(spans: ReadableSpan[]) {
  const texts = spans.flatMap(textsOf).join("\n");
  for (const text of forbidden) expect(texts).not.toContain(text);
}

/** The request span's GenAI and ModelFaucet attributes equal the usage event the request settled. */
async function expectUsageAttributes(root: ReadableSpan, requestId: string, routeMode: string) {
  const event = await usageEvent(requestId);
  expect(root.attributes).toMatchObject({
    request_id: requestId,
    "http.request.method": "POST",
    "http.route": "/v1/chat/completions",
    "http.response.status_code": 200,
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "mock",
    "gen_ai.request.model": event.model,
    "gen_ai.response.model": event.model,
    "gen_ai.usage.input_tokens": event.input_tokens,
    "gen_ai.usage.output_tokens": event.output_tokens,
    "modelfaucet.route_mode": routeMode,
    "modelfaucet.outcome": "completed",
  });
  expect(BigInt(String(root.attributes["modelfaucet.price_usd"]).replace(".", ""))).toBe(BigInt(event.retail_units));
}

describe("Gateway traces (OTEL_EXPORTER_OTLP_ENDPOINT set)", () => {
  it("traces a completion: request span, then auth, hold, one upstream attempt, settle", async () => {
    const completion = await client.chat.completions.create(
      { model: "mock-small", messages, metadata: { feature_key: "traced" } },
      { headers: { "x-request-id": "trace-chat-1" } },
    );
    forbidden.push(completion.choices[0]!.message.content!);
    const { root, spans, children } = await traceOf("trace-chat-1");
    expect(root.name).toBe("POST /v1/chat/completions");
    expect(root.parentSpanContext).toBeUndefined();
    expect(children.map((span) => span.name)).toEqual(["auth", "hold", "chat mock-small", "settle"]);
    // Nothing deeper: the dependencies the Gateway decorates start no spans of their own.
    expect(spans).toHaveLength(5);
    await expectUsageAttributes(root, "trace-chat-1", "platform");
    expect(root.attributes["modelfaucet.feature_key"]).toBe("traced");
    expect(completion.usage).toMatchObject({
      prompt_tokens: root.attributes["gen_ai.usage.input_tokens"],
      completion_tokens: root.attributes["gen_ai.usage.output_tokens"],
    });
    const attempt = children[2]!;
    expect(attempt.kind).toBe(SPAN_KIND_CLIENT);
    expect(attempt.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "mock",
      "gen_ai.request.model": "mock-small",
      "modelfaucet.route_mode": "platform",
      "modelfaucet.attempt": 1,
      "modelfaucet.attempt.outcome": "success",
    });
    // Children lie within their parent.
    for (const child of children) {
      expect(compareTime(child.startTime, root.startTime)).toBeGreaterThanOrEqual(0);
      expect(compareTime(child.endTime, root.endTime)).toBeLessThanOrEqual(0);
    }
    expectNothingForbidden(spans);
  });

  it("traces a stream to its end: the settlement is inside the request span", async () => {
    const stream = await client.chat.completions.create(
      {
        model: "mock-small",
        messages,
        metadata: { feature_key: "traced" },
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { "x-request-id": "trace-stream-1" } },
    );
    let answer = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      answer += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    forbidden.push(answer);
    const { root, spans, children } = await traceOf("trace-stream-1");
    expect(root.name).toBe("POST /v1/chat/completions");
    expect(children.map((span) => span.name)).toEqual(["auth", "hold", "chat mock-small", "settle"]);
    await expectUsageAttributes(root, "trace-stream-1", "platform");
    expect(usage).toMatchObject({
      prompt_tokens: root.attributes["gen_ai.usage.input_tokens"],
      completion_tokens: root.attributes["gen_ai.usage.output_tokens"],
    });
    const settle = children[3]!;
    expect(compareTime(settle.endTime, root.endTime)).toBeLessThanOrEqual(0);
    expectNothingForbidden(spans);
  });

  it("traces every attempt of a fallback: the dead BYOK route twice, then the platform", async () => {
    await stack.userKey(token, {
      provider: "openai_compatible",
      api_key: stack.byokKey,
      base_url: DEAD_URL,
      fallback_to_platform: true,
    });
    await client.chat.completions.create(
      { model: "auto:traced_fallback", messages },
      { headers: { "x-request-id": "trace-fallback-1" } },
    );
    const { root, spans, children } = await traceOf("trace-fallback-1");
    const attempts = children.filter((span) => span.kind === SPAN_KIND_CLIENT);
    expect(
      attempts.map((span) => [
        span.attributes["modelfaucet.route_mode"],
        span.attributes["modelfaucet.attempt"],
        span.attributes["modelfaucet.attempt.outcome"],
      ]),
    ).toEqual([
      ["byok", 1, "connection"],
      ["byok", 2, "connection"],
      ["platform", 1, "success"],
    ]);
    expect(attempts.map((span) => span.status.code === STATUS_ERROR)).toEqual([true, true, false]);
    expect(attempts[0]!.attributes["error.type"]).toBe("connection");
    // The BYOK route's hold (no fee) is released before the platform's is placed.
    expect(children.map((span) => span.name)).toEqual([
      "auth",
      "hold",
      "chat mock-small",
      "chat mock-small",
      "release",
      "hold",
      "chat mock-small",
      "settle",
    ]);
    await expectUsageAttributes(root, "trace-fallback-1", "platform");
    expect(root.status.code).not.toBe(STATUS_ERROR);
    // The connection failure's text (the dead URL) stays out of the spans too.
    forbidden.push("127.0.0.1:1");
    expectNothingForbidden(spans);
  });

  it("marks a refused request by its error code, and a 4xx is not a failed span", async () => {
    const broke = await stack.user("traced-broke");
    const refused = await stack
      .client(broke.token)
      .chat.completions.create(
        { model: "mock-small", messages, metadata: { feature_key: "traced" } },
        { headers: { "x-request-id": "trace-402" } },
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    const { root, children } = await traceOf("trace-402");
    expect(root.attributes).toMatchObject({ "http.response.status_code": 402, "error.type": "insufficient_balance" });
    expect(root.status.code).not.toBe(STATUS_ERROR);
    expect(children.map((span) => [span.name, span.attributes["error.type"]])).toEqual([
      ["auth", undefined],
      ["hold", "insufficient_balance"],
    ]);
    forbidden.push(broke.token);
  });

  it("records no span for the operations probes", async () => {
    const probes = ["/health", "/ready", "/metrics"];
    for (const path of probes) await fetch(`${stack.gatewayUrl}${path}`);
    // A traced request after them: once its span is in, theirs would have been too.
    await client.chat.completions.create(
      { model: "mock-small", messages, metadata: { feature_key: "traced" } },
      { headers: { "x-request-id": "trace-after-probes" } },
    );
    await traceOf("trace-after-probes");
    const routes = exporter.getFinishedSpans().map((span) => span.attributes["http.route"]);
    for (const probe of probes) expect(routes).not.toContain(probe);
  });

  it("puts no prompt text, answer, token or key in any span of the whole run", () => {
    expect(exporter.getFinishedSpans().length).toBeGreaterThan(10);
    expectNothingForbidden(exporter.getFinishedSpans());
  });
});

describe("Gateway traces exported over OTLP/HTTP", () => {
  it("posts the spans to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces, flushed when the Gateway closes", async () => {
    const received: Array<{ url: string | undefined; type: string | undefined; body: Buffer }> = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ url: request.url, type: request.headers["content-type"], body: Buffer.concat(chunks) });
        response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    const gateway = await buildGateway({
      config: testConfig({
        MOCK_UPSTREAM_URL: stack.platform.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      }),
      db: stack.database.db,
      logger: createLogger({ level: "silent" }),
    });
    try {
      await gateway.listen({ host: "127.0.0.1", port: 0 });
      const address = gateway.server.address() as AddressInfo;
      const otlpClient = new OpenAI({ baseURL: `http://127.0.0.1:${address.port}/v1`, apiKey: token, maxRetries: 0 });
      await otlpClient.chat.completions.create(
        { model: "mock-small", messages, metadata: { feature_key: "traced" } },
        { headers: { "x-request-id": "trace-otlp-1" } },
      );
    } finally {
      await gateway.close();
      collector.close();
    }
    // OTLP/HTTP with JSON encoding (this exporter's; the collector's port 4318 takes JSON and protobuf).
    expect(received.length).toBeGreaterThan(0);
    expect(received.map((post) => [post.url, post.type])).toEqual(
      received.map(() => ["/v1/traces", "application/json"]),
    );
    const body = Buffer.concat(received.map((post) => post.body)).toString("utf8");
    const exported = received.map((post) => JSON.parse(post.body.toString("utf8")) as OtlpTraces);
    const resource = exported[0]!.resourceSpans[0]!.resource.attributes;
    expect(resource).toContainEqual({ key: "service.name", value: { stringValue: "@modelfaucet/gateway" } });
    const names = exported.flatMap((traces) =>
      traces.resourceSpans.flatMap((spans) =>
        spans.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)),
      ),
    );
    expect(names.sort()).toEqual(["POST /v1/chat/completions", "auth", "chat mock-small", "hold", "settle"]);
    expect(body).toContain("trace-otlp-1");
    for (const text of forbidden) expect(body).not.toContain(text);
  });
});

describe("Gateway traces off (no OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  it("records no span, even with a span processor given", async () => {
    const untraced = new InMemorySpanExporter();
    const gateway = await buildGateway({
      config: testConfig({ MOCK_UPSTREAM_URL: stack.platform.url }),
      db: stack.database.db,
      logger: createLogger({ level: "silent" }),
      tracing: { spanProcessor: new SimpleSpanProcessor(untraced) },
    });
    try {
      await gateway.listen({ host: "127.0.0.1", port: 0 });
      const address = gateway.server.address() as AddressInfo;
      const offClient = new OpenAI({ baseURL: `http://127.0.0.1:${address.port}/v1`, apiKey: token, maxRetries: 0 });
      await offClient.chat.completions.create({ model: "mock-small", messages, metadata: { feature_key: "traced" } });
      const stream = await offClient.chat.completions.create({
        model: "mock-small",
        messages,
        metadata: { feature_key: "traced" },
        stream: true,
      });
      for await (const chunk of stream) void chunk;
    } finally {
      await gateway.close();
    }
    expect(untraced.getFinishedSpans()).toEqual([]);
  });
});
