import { dirname } from "node:path";
import { createRequire } from "node:module";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, startPageServer, type PageServer } from "./helpers/chromium.js";
import { startRevenueStack, type RevenueStack } from "./helpers/revenue-stack.js";

// A web page on another origin calls the Gateway with the official openai
// client, as an app that embeds ModelFaucet does: the preflight must allow
// the headers the client adds (x-stainless-*), and the page must be able to
// read the request id and the retry headers.

// The openai package's ESM build imports only relative files: the page loads it straight from node_modules.
const OPENAI_DIR = dirname(createRequire(import.meta.url).resolve("openai"));

const PAGE = `<!doctype html>
<script type="module">
  import OpenAI from "/openai/index.mjs";
  window.chat = async ({ baseURL, apiKey }) => {
    const client = new OpenAI({ baseURL, apiKey, dangerouslyAllowBrowser: true, maxRetries: 0 });
    try {
      const { data: stream, response } = await client.chat.completions
        .create({ model: "mock-small", max_tokens: 32, stream: true, messages: [{ role: "user", content: "Hello" }] })
        .withResponse();
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      return { text, requestId: response.headers.get("x-request-id") };
    } catch (error) {
      return { status: error.status, code: error.code, type: error.type, requestId: error.requestID ?? null,
               message: String(error.message) };
    }
  };
</script>`;

let database: TestDatabase;
let page: PageServer;
let stack: RevenueStack;
let browser: Browser;
beforeAll(async () => {
  database = await createTestDatabase();
  page = await startPageServer({ pages: { "/": PAGE }, directories: { "/openai/": OPENAI_DIR } });
  // Only the page's origin is allowed, as in production (no "*").
  stack = await startRevenueStack(database.db, { GATEWAY_CORS_ORIGINS: page.origin });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await page?.close();
  await database?.db.close();
});

async function chatFromPage(apiKey: string) {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${page.origin}/`);
    await tab.waitForFunction(() => typeof (globalThis as unknown as { chat?: unknown }).chat === "function");
    return await tab.evaluate(
      (options) =>
        (globalThis as unknown as { chat: (o: typeof options) => Promise<Record<string, unknown>> }).chat(options),
      { baseURL: `${stack.gatewayUrl}/v1`, apiKey },
    );
  } finally {
    await tab.close();
  }
}

describe("the openai client in Chromium, on another origin", () => {
  it("streams a chat completion and reads its x-request-id", async () => {
    const { token } = await stack.user("browser-user", "1.00");
    const result = await chatFromPage(token);
    expect(result).toMatchObject({ text: expect.stringMatching(/\S/), requestId: expect.stringMatching(/^req_/) });
    expect(await stack.usageOf(result.requestId as string)).toHaveLength(1);
  });

  it("reads an error's code and request id", async () => {
    const { token } = await stack.user("browser-unfunded");
    const result = await chatFromPage(token);
    expect(result).toMatchObject({
      status: 402,
      code: "insufficient_balance",
      type: "insufficient_quota",
      requestId: expect.stringMatching(/^req_/),
    });
  });
});

describe("the preflight", () => {
  const preflight = (origin: string, headers: string) =>
    fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": headers },
    });
  const CLIENT_HEADERS = [
    "authorization",
    "content-type",
    "x-stainless-lang",
    "x-stainless-package-version",
    "x-stainless-os",
    "x-stainless-arch",
    "x-stainless-runtime",
    "x-stainless-runtime-version",
    "x-stainless-retry-count",
    "x-stainless-timeout",
    "x-stainless-helper-method",
    "x-modelfaucet-route",
    "idempotency-key",
    "openai-organization",
    "openai-project",
    "openai-beta",
  ].join(", ");

  it("allows an allowed origin every header the common clients send, and exposes the retry headers", async () => {
    const response = await preflight(page.origin, CLIENT_HEADERS);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(page.origin);
    expect(response.headers.get("access-control-allow-headers")).toBe(CLIENT_HEADERS);

    const { token } = await stack.user("exposed-headers");
    const answer = await fetch(`${stack.gatewayUrl}/v1/models`, {
      headers: { origin: page.origin, authorization: `Bearer ${token}` },
    });
    const exposed = answer.headers.get("access-control-expose-headers")?.split(/,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining(["x-request-id", "retry-after", "retry-after-ms", "x-should-retry"]),
    );
  });

  it("gives another origin no allow header", async () => {
    const response = await preflight("https://elsewhere.example", CLIENT_HEADERS);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
