import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request a fake server received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown> | undefined;
}

export interface FakeLocalServer {
  url: string;
  requests: ReceivedRequest[];
  /** While set, a stream stops after its first chunk until `release()`. */
  holdStreams: boolean;
  /** While set, a stream's connection is cut after its first chunk. */
  breakStreams: boolean;
  release(): void;
  close(): Promise<void>;
}

/** The dialects of the fakes: Ollama reports usage when asked; this llama.cpp build never does. */
export type FakeKind = "ollama" | "llama_cpp";

export const FAKE_MODELS: Record<FakeKind, string> = { ollama: "qwen2.5:7b", llama_cpp: "llama-3.2-1b" };
/** The reply every fake streams, in these pieces. */
export const REPLY_PIECES = ["Hel", "lo ", "from ", "your ", "machine."];
/** What the Ollama fake reports as usage. */
export const OLLAMA_USAGE = { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 };

/**
 * A local model server speaking just enough of Ollama's or llama.cpp
 * server's HTTP API for the bridge: identity probes, `/v1/models`, chat
 * (whole or streamed as SSE, one write per piece) and embeddings.
 */
export async function startFakeLocalServer(kind: FakeKind): Promise<FakeLocalServer> {
  const requests: ReceivedRequest[] = [];
  let releaseHeld: () => void = () => undefined;
  let held = new Promise<void>((resolve) => (releaseHeld = resolve));
  const fake: FakeLocalServer = {
    url: "",
    requests,
    holdStreams: false,
    breakStreams: false,
    release: () => {
      releaseHeld();
      held = new Promise<void>((resolve) => (releaseHeld = resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer(async (req, res) => {
    const text = await readText(req);
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const body = text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>);
    requests.push({ method: req.method ?? "", path, headers: req.headers, body });
    const route = `${req.method} ${path}`;
    if (kind === "ollama" && route === "GET /api/version") return json(res, { version: "0.6.5" });
    if (kind === "llama_cpp" && route === "GET /health") return json(res, { status: "ok" });
    if (kind === "llama_cpp" && route === "GET /props") {
      return json(res, { build_info: "b5000-fake", model_path: `/models/${FAKE_MODELS.llama_cpp}.gguf` });
    }
    if (route === "GET /v1/models") {
      return json(res, { object: "list", data: [{ id: FAKE_MODELS[kind], object: "model", created: 1_700_000_000 }] });
    }
    if (route === "POST /v1/chat/completions" && body !== undefined) {
      if (body.model !== FAKE_MODELS[kind]) return json(res, { error: `model '${String(body.model)}' not found` }, 404);
      if (body.stream !== true) return json(res, completion(kind, body));
      return stream(kind, body, res, () => {
        // Cut once the first chunk has surely left.
        if (fake.breakStreams) return new Promise((resolve) => setTimeout(() => resolve(void res.destroy()), 50));
        return fake.holdStreams ? held : Promise.resolve();
      });
    }
    if (route === "POST /v1/embeddings" && body !== undefined) {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      return json(res, {
        object: "list",
        model: body.model,
        data: inputs.map((_input, index) => ({ object: "embedding", index, embedding: [0.25, -0.5, 1] })),
        ...(kind === "ollama" ? { usage: { prompt_tokens: 7, total_tokens: 7 } } : {}),
      });
    }
    json(res, { error: "not found" }, 404);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function completion(kind: FakeKind, body: Record<string, unknown>) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_700_000_000,
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content: REPLY_PIECES.join("") }, finish_reason: "stop" }],
    ...(kind === "ollama" ? { usage: OLLAMA_USAGE } : {}),
  };
}

async function stream(
  kind: FakeKind,
  body: Record<string, unknown>,
  res: ServerResponse,
  gate: () => Promise<void>,
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const chunk = (delta: object, finish: string | null = null) => ({
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: body.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  for (const [index, piece] of REPLY_PIECES.entries()) {
    res.write(
      `data: ${JSON.stringify(chunk(index === 0 ? { role: "assistant", content: piece } : { content: piece }))}\n\n`,
    );
    if (index === 0) await gate();
    if (res.destroyed) return;
  }
  res.write(`data: ${JSON.stringify(chunk({}, "stop"))}\n\n`);
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (kind === "ollama" && options?.include_usage === true) {
    res.write(`data: ${JSON.stringify({ ...chunk({}), choices: [], usage: OLLAMA_USAGE })}\n\n`);
  }
  res.end("data: [DONE]\n\n");
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
