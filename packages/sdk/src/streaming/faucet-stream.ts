import type { EventSourceMessage } from "eventsource-parser";
import { StreamInterruptedError } from "../errors/faucet-error.js";
import { newRequestId } from "../http/request-id.js";
import type { RequestSpec, Transport } from "../http/transport.js";
import type { ModelfaucetBlock, UserUsageItem } from "../wire-types.js";
import { sseEvents } from "./sse-events.js";

/** A streamed call: iterate it for the items as they arrive. */
export interface FaucetStream<Item, Result> extends AsyncIterable<Item> {
  /** The call's x-request-id, known before any answer: the id of its usage in `wallet.history`. */
  readonly requestId: string;
  /** Stops the stream. What was delivered is billed; `final` then says what that was. Stopping the iteration early aborts too. */
  abort(): void;
  /**
   * The whole result once the stream ends. Rejects with the stream's error
   * (StreamInterruptedError, or the error answer of the request). After an
   * abort it resolves with what was billed, read from `GET /v1/user/usage`.
   */
  readonly final: Promise<Result>;
}

/** How one kind of stream reads its events and what it makes of them. */
export interface StreamReader<Item, Result> {
  /** One event: an item to hand out, and/or the end of a complete stream; throws on an error event. */
  read(event: EventSourceMessage): { item?: Item | undefined; done?: boolean };
  /** The result of a complete stream. */
  result(): Result;
  /** The result of an aborted stream: `billed` is its usage row, undefined when it could not be read. */
  aborted(billed: UserUsageItem | undefined): Result;
}

export interface StreamDeps {
  transport: Transport;
  /** The usage row the Gateway recorded for a request, once settled; undefined if it never appears. */
  billedUsage(requestId: string): Promise<UserUsageItem | undefined>;
  /** The `modelfaucet` block of a stream the Local Bridge served (its chunks carry none), taken once. */
  takeLocalBlock?(requestId: string): ModelfaucetBlock | undefined;
}

/**
 * Sends `spec` and reads its SSE answer with `reader`. The stream is read as
 * soon as it opens (so `final` settles whether or not anyone iterates);
 * items wait in memory for the iterator. Retries and session renewal happen
 * in the transport, before the stream begins, never after.
 */
export function openFaucetStream<Item, Result>(
  deps: StreamDeps,
  spec: RequestSpec,
  reader: StreamReader<Item, Result>,
): FaucetStream<Item, Result> {
  const requestId = newRequestId();
  const controller = new AbortController();
  const callerSignal = spec.options?.signal;
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener("abort", () => controller.abort(callerSignal.reason), { once: true });

  const items: Item[] = [];
  let ended: { error?: unknown } | undefined;
  let wake: (() => void) | undefined;
  const end = (outcome: { error?: unknown }) => {
    ended = outcome;
    wake?.();
  };

  async function pump(): Promise<Result> {
    try {
      const options = { ...spec.options, signal: controller.signal };
      const response = await deps.transport.send({ ...spec, requestId, options });
      for await (const event of sseEvents(response.body!)) {
        const { item, done } = reader.read(event);
        if (item !== undefined) {
          items.push(item);
          wake?.();
        }
        if (done) {
          end({});
          return reader.result();
        }
      }
      throw new StreamInterruptedError({
        code: "stream_interrupted",
        message: "The stream ended before its end marker: the connection was cut.",
        status: 200,
        requestId,
      });
    } catch (error) {
      if (!controller.signal.aborted) {
        end({ error });
        throw error;
      }
      end({});
      return reader.aborted(await deps.billedUsage(requestId));
    }
  }

  const final = pump();
  // The error also reaches the iterator; a caller who only iterates must not see it as unhandled.
  final.catch(() => undefined);
  const abort = () => {
    if (!ended) controller.abort();
  };

  return {
    requestId,
    abort,
    final,
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<Item, undefined>> {
        for (;;) {
          if (items.length > 0) return { value: items.shift()!, done: false };
          if (ended) {
            const { error } = ended;
            ended = {};
            if (error !== undefined) throw error;
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      async return(): Promise<IteratorResult<Item, undefined>> {
        abort();
        return { value: undefined, done: true };
      },
    }),
  };
}
