import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { testRedisUrl } from "@modelfaucet/db/testing";
import { anthropicJsonFixture, startFakeAnthropic, type FakeAnthropic } from "@modelfaucet/providers/testing";
import { connectRedis, createLogger, type Redis } from "@modelfaucet/server-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_ADMIN_TOKEN, startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Issue 10, items 0 and 1, through HTTP: no body the Gateway accepts holds
// its event loop for long (prompt counting is linear and yields), a body
// nested too deep is a 400 naming the field, and no caller's body — nor our
// failure to encode it for upstream — ever counts against a provider's
// circuit breaker, so other users keep being served.

const ANTHROPIC_KEY = `sk-ant-${randomBytes(16).toString("hex")}`;
/** The longest the event loop may be held while one request is handled, ms. */
const MAX_EVENT_LOOP_BLOCK_MS = 50;
/** Worst-case bodies stay under the Gateway's default body limit. */
const BODY_BYTES = 3_900_000;

let stack: RoutingStack;
let anthropic: FakeAnthropic;
let redis: Redis | undefined;

beforeAll(async () => {
  const redisUrl = testRedisUrl();
  redis = redisUrl ? connectRedis(redisUrl, createLogger({ level: "silent" })) : undefined;
  // Default breakers (5 failures open one for 30 s); one attempt per route, so failures are counted one by one.
  stack = await startRoutingStack({ redis, reliability: { retry: { maxAttempts: 1 } } });
  anthropic = await startFakeAnthropic(ANTHROPIC_KEY);
  anthropic.reply({ body: anthropicJsonFixture("messages-text.json") });
  await stack.feature("redacting", {
    route_preference: ["end_user_byok", "developer_key", "platform_pool"],
    fallback_to_platform: true,
    privacy: "redact_pii_before_cloud",
    pii_patterns: [{ name: "ORDER_ID", pattern: "ORD-\\d{6}" }],
  });
  await stack.feature("via_anthropic_key", {
    route_preference: ["developer_key"],
    default_model: "claude-3-5-haiku-20241022",
  });
  const stored = await stack.fetchApi("/v1/developer/provider-keys", {
    method: "POST",
    token: DEVELOPER_ADMIN_TOKEN,
    body: { developer_id: "dev_demo", provider: "anthropic", api_key: ANTHROPIC_KEY, base_url: anthropic.baseUrl },
  });
  expect(stored.status).toBe(201);
});
afterAll(async () => {
  await stack.close();
  await anthropic.close();
  redis?.disconnect();
});

/** POSTs a raw JSON body to the Gateway. */
async function post(path: string, token: string, body: string) {
  const response = await fetch(`${stack.gatewayUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
}

const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    model: "mock-small",
    messages: [{ role: "user", content: "hi" }],
    metadata: { feature_key: "chat" },
    ...extra,
  });

/** The ~12 KB body of the issue: an unknown field nested 6,000 arrays deep. */
const deepField = (field: string, base: string) =>
  `${base.slice(0, -1)},"${field}":${"[".repeat(6000)}${"]".repeat(6000)}}`;

async function breakers() {
  const response = await fetch(`${stack.gatewayUrl}/health/providers`);
  return (await response.json()) as {
    providers: Array<{ provider: string; state: string; consecutive_failures: number }>;
    stored_keys: Array<{ provider: string; route_mode: string; state: string }>;
  };
}

describe("JSON bounds (item 1)", () => {
  it("refuses a body nested deeper than 64 levels with 400 naming the field, on every endpoint", async () => {
    const { token } = await stack.user("deep-bodies");
    const bodies = {
      "/v1/chat/completions": deepField("x_unknown", chatBody()),
      "/v1/embeddings": deepField("x_unknown", JSON.stringify({ model: "mock-embed", input: "hi" })),
      "/v1/responses": deepField("x_unknown", JSON.stringify({ model: "mock-small", input: "hi" })),
    };
    for (const [path, body] of Object.entries(bodies)) {
      expect(body.length).toBeLessThan(13_000);
      const answer = await post(path, token, body);
      expect(answer.status, path).toBe(400);
      expect(answer.body.error?.code).toBe("invalid_request");
      expect(answer.body.error?.message).toMatch(/x_unknown.*64 levels deep/);
    }
  });

  it("accepts a tool JSON schema nested 57 levels deep (61 in the body)", async () => {
    const { token } = await stack.user("deep-schema", "1.00");
    let schema: Record<string, unknown> = { type: "string" };
    // Each level is an object holding `properties`, holding one named property: 2 levels per step.
    for (let i = 0; i < 28; i++) schema = { type: "object", properties: { inner: schema } };
    const tools = [{ type: "function", function: { name: "deep", parameters: schema } }];
    const answer = await post("/v1/chat/completions", token, chatBody({ tools }));
    expect(answer.status).toBe(200);
  });

  it("never counts a caller's deep body against the provider: other users keep getting 200", async () => {
    const attacker = await stack.user("deep-attacker", "1.00");
    const other = await stack.user("deep-bystander", "1.00");
    for (let i = 0; i < 12; i++) {
      expect((await post("/v1/chat/completions", attacker.token, deepField("x", chatBody()))).status).toBe(400);
    }
    expect((await post("/v1/chat/completions", other.token, chatBody())).status).toBe(200);
    expect((await breakers()).providers).toContainEqual(
      expect.objectContaining({ provider: "mock", state: "closed", consecutive_failures: 0 }),
    );
  });

  it("never counts a body we cannot encode for upstream against the key's breaker", async () => {
    // Tool-call arguments are JSON text, within every bound; the Anthropic adapter parses them into an object
    // nested 20,000 levels deep, which JSON.stringify cannot encode. Before: five of these opened the
    // developer key's breaker and every user of the app got 502 for 30 s.
    const attacker = await stack.user("encode-attacker", "1.00");
    const other = await stack.user("encode-bystander", "1.00");
    const deepArguments = `{"a":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    const body = JSON.stringify({
      model: "auto:via_anthropic_key",
      max_tokens: 64,
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: deepArguments } }],
        },
        { role: "tool", tool_call_id: "c1", content: "ok" },
      ],
    });
    for (let i = 0; i < 8; i++) {
      const answer = await post("/v1/chat/completions", attacker.token, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe("invalid_request");
    }
    const served = await post(
      "/v1/chat/completions",
      other.token,
      chatBody({ model: "auto:via_anthropic_key", metadata: undefined }),
    );
    expect(served.status).toBe(200);
    for (const key of (await breakers()).stored_keys) expect(key.state).toBe("closed");
  });
});

/**
 * How long the event loop was held while `action` ran, ms: the gaps between
 * ticks of a 1 ms interval (started, and seen ticking, before the action).
 * `wallMs` is the longest gap; `cpuMs` the most CPU this process used within
 * one gap — the work that held the loop, without the time another process
 * had the core (this machine is shared).
 */
async function eventLoopBlock(action: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  const block = { wallMs: 0, cpuMs: 0 };
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const ticker = setInterval(() => {
    const cpu = process.cpuUsage(lastCpu);
    const now = performance.now();
    block.wallMs = Math.max(block.wallMs, now - last);
    block.cpuMs = Math.max(block.cpuMs, (cpu.user + cpu.system) / 1000);
    last = now;
    lastCpu = process.cpuUsage();
  }, 1);
  try {
    await new Promise((resolve) => setTimeout(resolve, 5));
    Object.assign(block, { wallMs: 0, cpuMs: 0 });
    await action();
    await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    clearInterval(ticker);
  }
  return block;
}

/**
 * POSTs a prepared body with node:http, whose client writes a Buffer in one
 * call: the measurement is then the Gateway's, not a fetch client's copying
 * in the same process.
 */
function postBuffer(path: string, token: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const outgoing = request(`${stack.gatewayUrl}${path}`, { method: "POST", headers }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Deterministic pseudo-random integers below `n`. */
function randomSource(seed: number) {
  return (n: number) => (seed = (seed * 48_271) % 2_147_483_647) % n;
}

/** Pieces of 64 characters (a space and 63 of `alphabet`), `bytes` of them: the slowest text to tokenize exactly. */
function slowPieces(alphabet: string[], bytes: number): string {
  const next = randomSource(7);
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    let piece = " ";
    while (piece.length < 64) piece += alphabet[next(alphabet.length)]!;
    parts.push(piece);
    size += Buffer.byteLength(piece);
  }
  return parts.join("");
}

/** `unit` repeated to `bytes` characters: a run with nowhere a detector could stop early. */
const fill = (unit: string, bytes: number) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

/** A chat body for the feature that redacts personal data (`privacy: redact_pii_before_cloud`) holding `content`. */
const redactingChat = (content: unknown) =>
  chatBody({ messages: [{ role: "user", content }], metadata: { feature_key: "redacting" } });

/** Prose full of personal items of every kind. */
const itemsProse =
  "Write to jane.doe@example.com or +44 20 7946 0958; IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111, " +
  "from 203.0.113.7 or 2001:db8::1, call (415) 555-0100. ";

const cjk = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + i * 7));
const latin = [..."abcdefghijklmnopqrstuvwxyz"];
const mixed = [...latin, ...cjk.slice(0, 200), "é", "\u0301", "😀", "Я", "ก"];

/**
 * The worst bodies we could construct, each under the default body limit:
 * long runs of one character (quadratic before), text that is slowest to
 * tokenize exactly, many messages, parts, inputs and items, and tool JSON.
 * Bodies of many small objects are kept to ~20,000 objects: JSON.parse of
 * such a body costs the event loop more than counting it (see BENCHMARKS.md).
 */
const worstCases: Record<string, { path: string; body: () => string }> = {
  "embeddings: one input of 3.9 M × y": {
    path: "/v1/embeddings",
    body: () => JSON.stringify({ model: "mock-embed", input: "y".repeat(BODY_BYTES) }),
  },
  "embeddings: 2,048 inputs of slow 64-char pieces": {
    path: "/v1/embeddings",
    body: () => JSON.stringify({ model: "mock-embed", input: Array(2048).fill(slowPieces(mixed, BODY_BYTES / 2048)) }),
  },
  "chat: one message of 3.9 M × y": {
    path: "/v1/chat/completions",
    body: () => chatBody({ messages: [{ role: "user", content: "y".repeat(BODY_BYTES) }] }),
  },
  "chat: 3.9 MB of CJK in 64-char pieces (slowest to tokenize)": {
    path: "/v1/chat/completions",
    body: () => chatBody({ messages: [{ role: "user", content: slowPieces(cjk, BODY_BYTES) }] }),
  },
  "chat: 3.9 MB of random letters in 64-char pieces": {
    path: "/v1/chat/completions",
    body: () => chatBody({ messages: [{ role: "user", content: slowPieces(latin, BODY_BYTES) }] }),
  },
  "chat: 10,000 messages of mixed unicode": {
    path: "/v1/chat/completions",
    body: () => {
      const content = slowPieces(mixed, 300);
      return chatBody({ messages: Array.from({ length: 10_000 }, () => ({ role: "user", name: "n", content })) });
    },
  },
  "chat: 20,000 text parts of mixed unicode": {
    path: "/v1/chat/completions",
    body: () => {
      const text = slowPieces(mixed, 150);
      const content = Array.from({ length: 20_000 }, () => ({ type: "text", text }));
      return chatBody({ messages: [{ role: "user", content }] });
    },
  },
  "chat: 3.9 MB of tool JSON schema": {
    path: "/v1/chat/completions",
    body: () => {
      const description = slowPieces(mixed, 400);
      const properties = Object.fromEntries(
        Array.from({ length: 7000 }, (_, i) => [`field_${i}`, { type: "string", description }]),
      );
      const parameters = { type: "object", properties };
      return chatBody({ tools: [{ type: "function", function: { name: "big", parameters } }] });
    },
  },
  // The same bounds with personal data redacted before the count (the redactor reads every text in full, in slices).
  "redacting chat: one message of 3.9 M × y": {
    path: "/v1/chat/completions",
    body: () => redactingChat("y".repeat(BODY_BYTES)),
  },
  "redacting chat: 3.9 MB of prose full of items": {
    path: "/v1/chat/completions",
    body: () => redactingChat(fill(itemsProse, BODY_BYTES)),
  },
  ...Object.fromEntries(
    ["1", "1 ", "a@b.", "1.", "1:a:", "(1) ", "DE89 "].map((unit) => [
      `redacting chat: 3.9 MB of "${unit}${unit}…" (nowhere to cut)`,
      { path: "/v1/chat/completions", body: () => redactingChat(fill(unit, BODY_BYTES)) },
    ]),
  ),
  "redacting chat: 10,000 messages full of items": {
    path: "/v1/chat/completions",
    body: () =>
      chatBody({
        messages: Array.from({ length: 10_000 }, () => ({ role: "user", content: fill(itemsProse, 380) })),
        metadata: { feature_key: "redacting" },
      }),
  },
  "redacting responses: 10,000 input items full of items": {
    path: "/v1/responses",
    body: () => {
      const input = Array.from({ length: 10_000 }, () => ({ role: "user", content: fill(itemsProse, 380) }));
      return JSON.stringify({ model: "mock-small", input, metadata: { feature_key: "redacting" } });
    },
  },
  "responses: 10,000 input items of mixed unicode": {
    path: "/v1/responses",
    body: () => {
      const content = slowPieces(mixed, 330);
      const input = Array.from({ length: 10_000 }, () => ({ role: "user", content }));
      return JSON.stringify({ model: "mock-small", input, metadata: { feature_key: "chat" } });
    },
  },
};

describe("prompt counting never freezes the process (item 0)", () => {
  let token: string;
  beforeAll(async () => {
    // Unfunded, as the attacker: every body is counted in full, then refused (402, or 400 over the window).
    ({ token } = await stack.user("unfunded-counter"));
  });

  /** Sends `body` five times; the run with the shortest longest block (not another process's time, nor cold code's). */
  async function quietestRun(path: string, body: Buffer) {
    const runs: Array<{ status: number; block: { wallMs: number; cpuMs: number }; elapsedMs: number }> = [];
    for (let run = 0; run < 5; run++) {
      let status = 0;
      const started = performance.now();
      const block = await eventLoopBlock(async () => {
        status = await postBuffer(path, token, body);
      });
      runs.push({ status, block, elapsedMs: performance.now() - started });
    }
    return runs.reduce((a, b) => (b.block.cpuMs < a.block.cpuMs ? b : a));
  }

  it.each(Object.entries(worstCases))(
    "%s",
    async (name, { path, body }) => {
      const text = body();
      const bytes = Buffer.from(text);
      expect(bytes.length).toBeLessThan(4 * 1024 * 1024);
      // The same body naming no model the catalog has: refused once it is read, parsed and checked, before any
      // count. Its longest block is the cost of reading and parsing a body this size, which the count must not exceed.
      const parsedOnly = await quietestRun(
        path,
        Buffer.from(JSON.stringify({ ...JSON.parse(text), model: "no-such-model" })),
      );
      expect(parsedOnly.status).toBe(400);
      const counted = await quietestRun(path, bytes);
      // The figures BENCHMARKS.md quotes.
      process.stdout.write(
        `${name}: ${bytes.length} bytes → ${counted.status} in ${counted.elapsedMs.toFixed(0)} ms; longest event-loop ` +
          `block ${counted.block.cpuMs.toFixed(1)} ms of CPU (${counted.block.wallMs.toFixed(1)} ms wall); ` +
          `reading and parsing alone ${parsedOnly.block.cpuMs.toFixed(1)} ms of CPU\n`,
      );
      expect([400, 402]).toContain(counted.status);
      // CPU time counts GC helper threads too, so a loaded machine adds noise; 20 ms over the parse is the margin.
      expect(counted.block.cpuMs).toBeLessThan(Math.max(MAX_EVENT_LOOP_BLOCK_MS, parsedOnly.block.cpuMs + 20));
      // Ten requests of up to 4 MB each; redacting one reads all of it (a few hundred ms of CPU, more on a busy machine).
    },
    120_000,
  );
});
