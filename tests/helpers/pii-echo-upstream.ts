import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the echo upstream received: its path and its JSON body, exactly as the Gateway sent them. */
export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
}

/**
 * One local stand-in for three providers' wire formats — OpenAI-compatible
 * chat (`/v1/chat/completions`) and Responses (`/v1/responses`), Anthropic
 * Messages (`/v1/messages`), Gemini (`/v1beta/models/…:generateContent` and
 * `:streamGenerateContent`) — that records every request and answers with
 * the placeholders it saw in it (`Noted: [EMAIL_1] [PHONE_1] …`), streamed
 * three characters at a time so every placeholder is split across chunks.
 * With `tools` in an OpenAI chat request it calls `send_note` instead, its
 * arguments holding the same placeholders.
 */
export interface EchoUpstream {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const PLACEHOLDER = /\[[A-Z][A-Z0-9_]*_[1-9][0-9]*\]/g;

/** The placeholders a body holds, in order, each once. */
export function placeholdersIn(body: unknown): string[] {
  return [...new Set(JSON.stringify(body).match(PLACEHOLDER) ?? [])];
}

const pieces = (text: string) => text.match(/[\s\S]{1,3}/g) ?? [];

function sendJson(res: ServerResponse, body: unknown) {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sendSse(res: ServerResponse, events: Array<{ event?: string; data: unknown }>) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.end(
    events
      .map(
        ({ event, data }) =>
          `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
      )
      .join(""),
  );
}

function openAiChat(body: Record<string, unknown>, reply: string, res: ServerResponse) {
  const usage = { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 };
  const base = { id: "chatcmpl-echo", created: 1, model: String(body.model) };
  const toolCall = body.tools
    ? { id: "call_1", type: "function", function: { name: "send_note", arguments: JSON.stringify({ note: reply }) } }
    : undefined;
  if (body.stream !== true) {
    const message = toolCall
      ? { role: "assistant", content: null, tool_calls: [toolCall] }
      : { role: "assistant", content: reply };
    sendJson(res, {
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message, finish_reason: toolCall ? "tool_calls" : "stop" }],
      usage,
    });
    return;
  }
  const chunk = (delta: unknown, finish: string | null = null) => ({
    data: { ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] },
  });
  const deltas = toolCall
    ? [
        chunk({
          role: "assistant",
          tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "send_note", arguments: "" } }],
        }),
        ...pieces(toolCall.function.arguments).map((part) =>
          chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }),
        ),
      ]
    : [chunk({ role: "assistant", content: "" }), ...pieces(reply).map((part) => chunk({ content: part }))];
  sendSse(res, [
    ...deltas,
    chunk({}, toolCall ? "tool_calls" : "stop"),
    { data: { ...base, object: "chat.completion.chunk", choices: [], usage } },
    { data: "[DONE]" },
  ]);
}

function openAiResponses(body: Record<string, unknown>, reply: string, res: ServerResponse) {
  const item = {
    id: "msg_echo",
    type: "message",
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text: reply, annotations: [] }],
  };
  const usage = { input_tokens: 40, input_tokens_details: { cached_tokens: 0 }, output_tokens: 12, total_tokens: 52 };
  const response = {
    id: "resp_echo",
    object: "response",
    created_at: 1,
    model: String(body.model),
    status: "completed",
    output: [item],
    output_text: reply,
    usage,
  };
  if (body.stream !== true) return sendJson(res, response);
  const where = { item_id: "msg_echo", output_index: 0, content_index: 0 };
  const events: Array<Record<string, unknown>> = [
    {
      type: "response.created",
      response: { ...response, status: "in_progress", output: [], output_text: "", usage: null },
    },
    ...pieces(reply).map((delta) => ({ type: "response.output_text.delta", ...where, delta })),
    { type: "response.output_text.done", ...where, text: reply },
    { type: "response.output_item.done", output_index: 0, item },
    { type: "response.completed", response },
  ];
  sendSse(
    res,
    events.map((event, sequence) => ({ event: String(event.type), data: { ...event, sequence_number: sequence } })),
  );
}

function anthropic(body: Record<string, unknown>, reply: string, res: ServerResponse) {
  const usage = { input_tokens: 40, output_tokens: 12 };
  const message = {
    id: "msg_echo",
    type: "message",
    role: "assistant",
    model: String(body.model),
    stop_sequence: null,
  };
  if (body.stream !== true) {
    return sendJson(res, { ...message, content: [{ type: "text", text: reply }], stop_reason: "end_turn", usage });
  }
  sendSse(res, [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 40, output_tokens: 1 } },
      },
    },
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    },
    ...pieces(reply).map((text) => ({
      event: "content_block_delta",
      data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
    })),
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    {
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 12 },
      },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ]);
}

function gemini(path: string, reply: string, res: ServerResponse) {
  const usageMetadata = { promptTokenCount: 40, candidatesTokenCount: 12, totalTokenCount: 52 };
  const candidate = (text: string, finishReason?: string) => ({
    content: { role: "model", parts: [{ text }] },
    index: 0,
    ...(finishReason ? { finishReason } : {}),
  });
  if (!path.includes(":streamGenerateContent")) {
    return sendJson(res, { candidates: [candidate(reply, "STOP")], usageMetadata, modelVersion: "gemini-echo" });
  }
  const parts = pieces(reply);
  sendSse(
    res,
    parts.map((text, index) => ({
      data: {
        candidates: [candidate(text, index === parts.length - 1 ? "STOP" : undefined)],
        ...(index === parts.length - 1 ? { usageMetadata } : {}),
      },
    })),
  );
}

export async function startEchoUpstream(): Promise<EchoUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "";
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      requests.push({ path, body });
      const reply = `Noted: ${placeholdersIn(body).join(" ")}`;
      if (path.endsWith("/chat/completions")) openAiChat(body, reply, res);
      else if (path.endsWith("/responses")) openAiResponses(body, reply, res);
      else if (path.endsWith("/messages")) anthropic(body, reply, res);
      else if (path.includes("/v1beta/models/")) gemini(path, reply, res);
      else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
