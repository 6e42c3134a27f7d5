import { randomBytes } from "node:crypto";
import {
  anthropicJsonFixture,
  geminiFixture,
  sendEvents,
  sendJson,
  startFakeAnthropic,
  startFakeGemini,
  type FakeAnthropic,
  type FakeGemini,
} from "@modelfaucet/providers/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

// Settings an upstream cannot honour are dropped by its adapter with a
// warning; the Gateway logs every such warning with the request's id, and
// never the caller's text, whichever endpoint or stream shape served it.

const ANTHROPIC_KEY = `sk-ant-${randomBytes(16).toString("hex")}`;
const GEMINI_KEY = `AIza${randomBytes(16).toString("hex")}`;
/** Text of every prompt here: it must reach no log line. */
const PROMPT = `prompt-text-${randomBytes(8).toString("hex")}`;
const MESSAGE = "the upstream provider could not honour some request settings";

let stack: RoutingStack;
let anthropic: FakeAnthropic;
let gemini: FakeGemini;
let token: string;

beforeAll(async () => {
  stack = await startRoutingStack();
  anthropic = await startFakeAnthropic(ANTHROPIC_KEY);
  gemini = await startFakeGemini((request, res) => {
    if (request.url.includes(":streamGenerateContent")) sendEvents(res, geminiFixture("stream-text.chunks.txt"));
    else sendJson(res, 200, geminiFixture("generate-content-text.json"));
  });
  await stack.feature("byok_only", { route_preference: ["end_user_byok"] });
  ({ token } = await stack.user("warned-user", "5.00"));
  await stack.userKey(token, { provider: "anthropic", api_key: ANTHROPIC_KEY, base_url: anthropic.baseUrl });
  await stack.userKey(token, { provider: "google", api_key: GEMINI_KEY, base_url: gemini.baseUrl });
});
afterAll(async () => {
  await stack.close();
  await Promise.all([anthropic.close(), gemini.close()]);
});

/** The Gateway's warning lines for one request. */
function warningLines(requestId: string): Array<Record<string, unknown>> {
  return stack.logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === MESSAGE && entry.request_id === requestId);
}

async function post(path: string, body: Record<string, unknown>) {
  const response = await fetch(`${stack.gatewayUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ ...body, metadata: { feature_key: "byok_only" } }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return { requestId: response.headers.get("x-request-id")!, text };
}

function expectLoggedOnce(requestId: string, provider: string, setting: string) {
  const lines = warningLines(requestId);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: 30, provider });
  expect(lines[0]!.warnings).toContainEqual(expect.objectContaining({ type: "unsupported-setting", setting }));
}

describe("provider warnings", () => {
  it("logs what Anthropic cannot honour in a chat completion", async () => {
    anthropic.reply({ body: anthropicJsonFixture("messages-text.json") });
    const { requestId } = await post("/v1/chat/completions", {
      model: "claude-3-5-haiku-20241022",
      messages: [{ role: "user", content: PROMPT }],
      presence_penalty: 0.5,
    });
    expectLoggedOnce(requestId, "anthropic", "presence_penalty");
  });

  it("logs what Gemini cannot honour in a chat stream", async () => {
    const { requestId, text } = await post("/v1/chat/completions", {
      model: "gemini-2.0-flash",
      messages: [{ role: "user", content: PROMPT }],
      logit_bias: { "50256": -100 },
      stream: true,
    });
    expect(text).toContain("data: [DONE]");
    expectLoggedOnce(requestId, "google", "logit_bias");
  });

  it("logs what a chat-only upstream cannot honour of a Responses request, streamed or not", async () => {
    const answered = await post("/v1/responses", { model: "gemini-2.0-flash", input: PROMPT, user: "u_1" });
    expectLoggedOnce(answered.requestId, "google", "user");
    const streamed = await post("/v1/responses", {
      model: "gemini-2.0-flash",
      input: [{ role: "user", content: [{ type: "input_text", text: PROMPT }] }],
      user: "u_1",
      stream: true,
    });
    expect(streamed.text).toContain("response.completed");
    expectLoggedOnce(streamed.requestId, "google", "user");
  });

  it("never logs the caller's text", () => {
    expect(stack.logLines.filter((line) => line.includes(PROMPT))).toEqual([]);
  });
});
