import { countTextTokens } from "@modelfaucet/providers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually, OLLAMA_USAGE, REPLY_PIECES, startBridgeFixture, type BridgeFixture } from "../testing/index.js";

const PROMPT = "Draft a reply to Ms Smith about her refund";
const REPORT_FIELDS = ["input_tokens", "model", "output_tokens", "request_id", "usage_source"];

let fx: BridgeFixture;
beforeAll(async () => {
  fx = await startBridgeFixture();
});
afterAll(() => fx.close());
beforeEach(() => {
  fx.api.unavailable = false;
  fx.ollama.holdStreams = false;
  fx.ollama.breakStreams = false;
});

async function call(path: string, body: object, headers: Record<string, string> = {}) {
  const ticket = await fx.api.issueTicket();
  const response = await fetch(`${fx.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-modelfaucet-ticket": ticket, ...headers },
    body: JSON.stringify(body),
  });
  return { response, ticket };
}

const chat = (model: string, extra: object = {}) => ({
  model,
  messages: [{ role: "user", content: PROMPT }],
  ...extra,
});

/** The settlement of `ticket` once the bridge has delivered its report. */
async function settled(ticket: string) {
  await eventually(() => fx.api.settlements.some((settlement) => settlement.ticket === ticket));
  return fx.api.settlements.find((settlement) => settlement.ticket === ticket)!.report;
}

describe("proxied calls", () => {
  it("answers a chat call with the local server's answer and reports the server's usage, keyed by the caller's request id", async () => {
    const { response, ticket } = await call("/v1/chat/completions", chat("ollama/qwen2.5:7b"), {
      "x-request-id": "crm-draft-1",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("crm-draft-1");
    const answer = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(answer.choices[0]!.message.content).toBe(REPLY_PIECES.join(""));
    expect(fx.ollama.requests.at(-1)!.body).toMatchObject({ model: "qwen2.5:7b" });

    const report = await settled(ticket);
    expect(report).toEqual({
      request_id: "crm-draft-1",
      model: "ollama/qwen2.5:7b",
      input_tokens: OLLAMA_USAGE.prompt_tokens,
      output_tokens: OLLAMA_USAGE.completion_tokens,
      usage_source: "upstream",
    });
    const posted = fx.api.reportPosts.find((post) => post.authorization === `Bearer ${ticket}`)!;
    expect(Object.keys(posted.body as object).sort()).toEqual(REPORT_FIELDS);
    expect(JSON.stringify(posted.body)).not.toMatch(/Smith|Hello|machine/);
  });

  it("streams chunk by chunk: the first piece reaches the caller while the server still holds the rest", async () => {
    fx.ollama.holdStreams = true;
    const { response, ticket } = await call("/v1/chat/completions", chat("ollama/qwen2.5:7b", { stream: true }));
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain(`"content":"${REPLY_PIECES[0]}"`);
    expect(fx.api.settlements.some((settlement) => settlement.ticket === ticket)).toBe(false);

    fx.ollama.release();
    let rest = "";
    for (let part = await reader.read(); !part.done; part = await reader.read())
      rest += new TextDecoder().decode(part.value);
    expect(rest.trimEnd().endsWith("data: [DONE]")).toBe(true);
    // The bridge asked for usage; the caller did not, so the usage-only chunk is kept from it.
    expect(fx.ollama.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(rest).not.toContain('"usage"');
    expect(await settled(ticket)).toMatchObject({ input_tokens: 11, output_tokens: 5, usage_source: "upstream" });
  });

  it("reports what was produced when the caller stops a stream midway", async () => {
    fx.ollama.holdStreams = true;
    const stopped = new AbortController();
    const ticket = await fx.api.issueTicket();
    const response = await fetch(`${fx.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-modelfaucet-ticket": ticket },
      body: JSON.stringify(chat("ollama/qwen2.5:7b", { stream: true })),
      signal: stopped.signal,
    });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(REPLY_PIECES[0]);
    stopped.abort();
    const report = await settled(ticket);
    fx.ollama.release();
    expect(report).toMatchObject({ output_tokens: countTextTokens(REPLY_PIECES[0]!), usage_source: "estimated" });
  });

  it("ends a stream the local server cuts with an error event, and reports what was produced", async () => {
    fx.ollama.breakStreams = true;
    const { response, ticket } = await call("/v1/chat/completions", chat("ollama/qwen2.5:7b", { stream: true }));
    const text = await response.text();
    expect(text).toContain(REPLY_PIECES[0]);
    expect(text).toContain('"code":"provider_error"');
    expect(text).not.toContain("[DONE]");
    expect(await settled(ticket)).toMatchObject({
      output_tokens: countTextTokens(REPLY_PIECES[0]!),
      usage_source: "estimated",
    });
  });

  it("passes the usage chunk on to a caller who asked for it", async () => {
    const body = chat("ollama/qwen2.5:7b", { stream: true, stream_options: { include_usage: true } });
    const { response } = await call("/v1/chat/completions", body);
    const text = await response.text();
    expect(text).toContain(`"usage":${JSON.stringify(OLLAMA_USAGE)}`);
  });

  it("counts tokens itself when the local server reports none, and says so", async () => {
    const { response, ticket } = await call("/v1/chat/completions", chat("llama_cpp/llama-3.2-1b", { stream: true }));
    const text = await response.text();
    for (const piece of REPLY_PIECES) expect(text).toContain(JSON.stringify(piece));
    const report = await settled(ticket);
    expect(report.usage_source).toBe("estimated");
    expect(report.output_tokens).toBe(countTextTokens(REPLY_PIECES.join("")));
    expect(report.input_tokens).toBeGreaterThan(countTextTokens(PROMPT));
  });

  it("proxies embeddings and meters them (the server's count, or the bridge's)", async () => {
    const fromOllama = await call("/v1/embeddings", { model: "ollama/qwen2.5:7b", input: ["a", "b"] });
    expect(((await fromOllama.response.json()) as { data: unknown[] }).data).toHaveLength(2);
    expect(await settled(fromOllama.ticket)).toMatchObject({
      input_tokens: 7,
      output_tokens: 0,
      usage_source: "upstream",
    });

    const fromLlama = await call("/v1/embeddings", { model: "llama_cpp/llama-3.2-1b", input: "hello world" });
    expect(fromLlama.response.status).toBe(200);
    expect(await settled(fromLlama.ticket)).toMatchObject({
      input_tokens: 2,
      output_tokens: 0,
      usage_source: "estimated",
    });
  });
});

describe("refusals", () => {
  it("refuses a call without a ticket (401) before any upstream call", async () => {
    const before = fx.ollama.requests.length;
    const response = await fetch(`${fx.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(chat("ollama/qwen2.5:7b")),
    });
    expect(response.status).toBe(401);
    const { error } = (await response.json()) as { error: { code: string; request_id: string } };
    expect(error.code).toBe("unauthorized");
    expect(error.request_id).toBe(response.headers.get("x-request-id"));
    expect(fx.ollama.requests.length).toBe(before);
  });

  it("answers 404 naming `model` for an id of no local server, or a model the server lacks; nothing is reported", async () => {
    const posts = fx.api.reportPosts.length;
    for (const model of ["gpt-4o", "mystery/model", "ollama/not-pulled"]) {
      const { response } = await call("/v1/chat/completions", chat(model));
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string; param: string } }).error).toMatchObject({
        code: "not_found",
        param: "model",
      });
    }
    expect(fx.api.reportPosts.length).toBe(posts);
  });

  it("answers 502 when the local server does not answer, and queues no report", async () => {
    const { response } = await call("/v1/chat/completions", chat("vllm/Qwen/Qwen2.5-7B"));
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("provider_error");
    const queue = (await (await fetch(`${fx.url}/queue`)).json()) as { pending: number };
    expect(queue.pending).toBe(0);
  });

  it("refuses bad bodies with 400 envelopes", async () => {
    const ticket = await fx.api.issueTicket();
    for (const body of ["not json", "[1,2]", JSON.stringify({ messages: [] })]) {
      const response = await fetch(`${fx.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-modelfaucet-ticket": ticket },
        body,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    }
  });

  it("refuses a request id that still names a queued report (409): one report per request id", async () => {
    fx.api.unavailable = true;
    const first = await call("/v1/chat/completions", chat("ollama/qwen2.5:7b"), { "x-request-id": "same-id" });
    expect(first.response.status).toBe(200);
    const second = await call("/v1/chat/completions", chat("ollama/qwen2.5:7b"), { "x-request-id": "same-id" });
    expect(second.response.status).toBe(409);
    fx.api.unavailable = false;
    await fetch(`${fx.url}/queue/flush`, { method: "POST" });
    expect((await settled(first.ticket)).request_id).toBe("same-id");
  });
});
