import type { ServerResponse } from "node:http";
import { SSE_DONE } from "../sse/encode-sse.js";
import type { CallLog } from "./mock-call-log.js";
import type { RenderedMockReply } from "./render-mock-reply.js";

const JSON_HEADERS = { "content-type": "application/json" } as const;
const STREAM_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } as const;

/** One chat answer in flight: its timers, and whether the client left before the end. */
export class Exchange {
  readonly #res: ServerResponse;
  #timer: NodeJS.Timeout | undefined;
  #cutByUs = false;
  #closed = false;

  constructor(res: ServerResponse, calls: CallLog) {
    this.#res = res;
    res.once("close", () => {
      this.#closed = true;
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      if (!res.writableFinished && !this.#cutByUs) calls.clientAborts += 1;
    });
  }

  /** Runs `action` after `delayMs`, unless the client has gone by then. */
  after(delayMs: number, action: () => void): void {
    if (this.#closed) return;
    if (delayMs === 0) action();
    else this.#timer = setTimeout(action, delayMs);
  }

  json(reply: RenderedMockReply, id: number, cut: boolean): void {
    const body = `{"id":"chatcmpl-mock-${id}","object":"chat.completion","created":${nowSeconds()},${reply.completionTail}`;
    const length = Buffer.byteLength(body);
    this.#res.writeHead(200, { ...JSON_HEADERS, "content-length": length, "x-request-id": `req_mock_${id}` });
    if (cut) this.#cutAfter(body.slice(0, Math.floor(body.length / 2)));
    else this.#res.end(body);
  }

  stream(reply: RenderedMockReply, id: number, delayMs: number, cut: boolean): void {
    const head = `data: {"id":"chatcmpl-mock-${id}","object":"chat.completion.chunk","created":${nowSeconds()},`;
    const tails = reply.chunkTails;
    // Role chunk plus half the content chunks (at least one) when cutting.
    const sent = cut
      ? 1 + Math.min(reply.contentChunks, Math.max(1, Math.floor(reply.contentChunks / 2)))
      : tails.length;
    this.#res.writeHead(200, { ...STREAM_HEADERS, "x-request-id": `req_mock_${id}` });
    if (delayMs === 0) {
      let all = "";
      for (let i = 0; i < sent; i++) all += `${head}${tails[i] as string}\n\n`;
      if (cut) this.#cutAfter(all);
      else this.#res.end(all + SSE_DONE);
      return;
    }
    const writeFrom = (i: number): void => {
      if (i === sent) {
        if (cut) this.#cutAfter("");
        else this.#res.end(SSE_DONE);
        return;
      }
      this.#res.write(`${head}${tails[i] as string}\n\n`);
      this.#timer = setTimeout(writeFrom, delayMs, i + 1);
    };
    writeFrom(0);
  }

  /** Writes `text`, then destroys the socket once it is flushed: the answer is cut mid-way. */
  #cutAfter(text: string): void {
    this.#cutByUs = true;
    this.#res.write(text, () => this.#res.destroy());
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
