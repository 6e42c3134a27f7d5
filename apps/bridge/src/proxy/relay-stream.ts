import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { errorEnvelope, type ErrorCode } from "@modelfaucet/core";
import { collectChoicesText, countTextTokens, encodeSseEvent, SSE_DONE, SseParser } from "@modelfaucet/providers";
import type { BridgeContext } from "../server/bridge-context.js";
import { describeFailure } from "../upstreams/get-json.js";
import { reportedUsage, type LocalEndpoint } from "./local-endpoints.js";
import { recordUsage, type MeteredCall } from "./record-usage.js";

export interface RelayOptions {
  /** The caller asked for the usage chunk (`stream_options.include_usage`); else it is kept from them. */
  wantsUsage: boolean;
  /** Aborted when the caller goes away: the local server's stream is dropped with it. */
  callerLeft: AbortSignal;
}

/**
 * Relays a local server's event stream to the caller event by event, each
 * written as soon as it is complete (backpressure respected, no total
 * time limit), reading the usage chunk and the generated text on the way.
 * When the stream ends — finished, broken or left by the caller — the
 * report is queued: the server's usage if it sent one, else the text
 * delivered counted locally (`estimated`). Only then does the caller get
 * `[DONE]` (or an error event if the stream broke).
 */
export async function relayStream(
  ctx: BridgeContext,
  endpoint: LocalEndpoint,
  call: MeteredCall,
  body: Record<string, unknown>,
  upstream: Readable,
  res: ServerResponse,
  options: RelayOptions,
): Promise<void> {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
  });
  res.flushHeaders();
  const parser = new SseParser();
  const pieces: string[] = [];
  let usage: ReturnType<typeof reportedUsage>;
  let sawDone = false;
  let broke: unknown;
  try {
    for await (const chunk of upstream as AsyncIterable<Buffer>) {
      for (const event of parser.push(chunk)) {
        if (event.data === "[DONE]") {
          sawDone = true;
          continue;
        }
        const parsed = parseObject(event.data);
        usage = reportedUsage(endpoint, parsed?.usage) ?? usage;
        const choices = parsed?.choices;
        if (Array.isArray(choices)) {
          collectChoicesText(choices, "delta", pieces);
          if (choices.length === 0 && parsed?.usage !== undefined && !options.wantsUsage) continue;
        }
        await write(res, encodeSseEvent(event));
      }
    }
  } catch (error) {
    broke = error;
  }
  const counts = usage ?? {
    input_tokens: endpoint.estimateInput(body),
    output_tokens: countTextTokens(pieces.join("")),
  };
  try {
    await recordUsage(ctx, call, counts, usage ? "upstream" : "estimated");
  } catch (error) {
    return endWithError(res, call, "internal_error", (error as Error).message);
  }
  if (options.callerLeft.aborted) return;
  if (broke !== undefined) {
    return endWithError(
      res,
      call,
      "provider_error",
      `The local server's stream broke off (${describeFailure(broke)}).`,
    );
  }
  res.end(sawDone ? SSE_DONE : undefined);
}

/** Writes, waiting for the socket to drain when its buffer is full; refuses once the caller is gone. */
function write(res: ServerResponse, text: string): Promise<void> {
  if (res.destroyed) return Promise.reject(new Error("the caller closed the connection"));
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const go = () => {
      res.off("drain", go);
      res.off("close", go);
      resolve();
    };
    res.on("drain", go);
    res.on("close", go);
  });
}

/** An error event as OpenAI streams one (`data: {"error": …}`), then the end. */
function endWithError(res: ServerResponse, call: MeteredCall, code: ErrorCode, message: string): void {
  if (res.destroyed) return;
  res.end(encodeSseEvent({ data: JSON.stringify(errorEnvelope(code, message, call.requestId)) }));
}

function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
