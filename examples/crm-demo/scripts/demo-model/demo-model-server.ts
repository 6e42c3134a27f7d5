import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { scriptedReply } from "./scripted-replies.js";
import { wordVector } from "./word-vector.js";

/** The catalog ids the demo stack routes to this server (the seeded mock provider's). */
const MODELS = ["mock-small", "mock-large", "mock-embed"];
const MAX_BODY_BYTES = 1024 * 1024;

/** About four characters a token, as OpenAI's tokenizers average on English. */
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

export interface DemoModel {
  /** `http://127.0.0.1:port`; its OpenAI base URL is `${url}/v1`. */
  url: string;
  /** Time between two streamed pieces, ms; a change applies to the pieces still to come. */
  chunkDelayMs: number;
  close(): Promise<void>;
}

interface ChatBody {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
}

const textOf = (content: unknown): string =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("")
      : "";

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RangeError("body too large");
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

/** The answer cut to `limit` tokens (by the same estimate), in pieces of a word or two for streaming. */
function answerPieces(text: string, limit: number | undefined): { pieces: string[]; truncated: boolean } {
  const words = text.match(/\s*\S+/g) ?? [];
  const pieces: string[] = [];
  let tokens = 0;
  for (const word of words) {
    tokens += estimateTokens(word);
    if (limit !== undefined && tokens > limit) return { pieces, truncated: true };
    pieces.push(word);
  }
  return { pieces, truncated: false };
}

async function chat(body: ChatBody, response: ServerResponse, pace: { chunkDelayMs: number }) {
  const messages = (body.messages ?? []).map((message) => ({
    role: String(message.role),
    content: textOf(message.content),
  }));
  const model = body.model ?? "mock-small";
  const { pieces, truncated } = answerPieces(scriptedReply(messages), body.max_completion_tokens ?? body.max_tokens);
  const content = pieces.join("");
  const usage = {
    prompt_tokens: estimateTokens(messages.map((message) => message.content).join("\n")),
    completion_tokens: estimateTokens(content),
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const head = { id: `chatcmpl-demo-${Date.now()}`, created: Math.floor(Date.now() / 1000), model };
  const finish = truncated ? "length" : "stop";
  if (!body.stream) {
    json(response, 200, {
      ...head,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finish }],
      usage,
    });
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (chunk: object) => response.write(`data: ${JSON.stringify({ ...head, ...chunk })}\n\n`);
  const choice = (delta: object, finishReason: string | null) => ({
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  send(choice({ role: "assistant", content: "" }, null));
  for (const piece of pieces) {
    if (response.destroyed) return;
    send(choice({ content: piece }, null));
    await sleep(pace.chunkDelayMs);
  }
  send(choice({}, finish));
  if (body.stream_options?.include_usage) send({ object: "chat.completion.chunk", choices: [], usage });
  response.end("data: [DONE]\n\n");
}

function embeddings(body: { model?: string; input?: unknown; encoding_format?: string }, response: ServerResponse) {
  const inputs = (Array.isArray(body.input) ? body.input : [body.input]).map((input) => String(input ?? ""));
  const encode = (vector: number[]) =>
    body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
  const tokens = inputs.reduce((total, input) => total + estimateTokens(input), 0);
  json(response, 200, {
    object: "list",
    model: body.model ?? "mock-embed",
    data: inputs.map((input, index) => ({ object: "embedding", index, embedding: encode(wordVector(input)) })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/**
 * An OpenAI-compatible stand-in for a model provider, for `pnpm demo`: it
 * answers the CRM's features with scripted text (scripted-replies.ts) and
 * word-count embeddings, streams a piece every `chunkDelayMs` so drafts
 * visibly stream, and reports usage by a 4-characters-a-token estimate.
 * Any API key is accepted, so it also serves as the user's "own" endpoint
 * for trying BYOK.
 */
export async function startDemoModel(
  options: { host?: string; port?: number; chunkDelayMs?: number } = {},
): Promise<DemoModel> {
  const model = { url: "", chunkDelayMs: options.chunkDelayMs ?? 40, close };
  const server = createServer(async (request, response) => {
    const route = `${request.method} ${new URL(request.url ?? "/", "http://model").pathname}`;
    try {
      if (route === "GET /v1/models") {
        const data = MODELS.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "crm-demo" }));
        return json(response, 200, { object: "list", data });
      }
      if (route === "POST /v1/chat/completions")
        return await chat((await readJson(request)) as ChatBody, response, model);
      if (route === "POST /v1/embeddings") return embeddings(await readJson(request), response);
      json(response, 404, {
        error: { message: `No route ${route}`, type: "invalid_request_error", code: "not_found" },
      });
    } catch (error) {
      if (!response.headersSent) {
        json(response, 400, { error: { message: (error as Error).message, type: "invalid_request_error" } });
      } else response.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  model.url = `http://${address}:${port}`;
  return model;

  function close() {
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
