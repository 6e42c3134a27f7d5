import { encodeSseData, SSE_DONE, type ChatCompletionChunk, type ChatStream } from "@modelfaucet/providers";
import type { StreamWriter } from "../streaming/relay-stream.js";
import { FinishChunkRelay } from "./finish-chunk-relay.js";
import { openAiUsage } from "./modelfaucet-block.js";
import { upstreamUsageOr, withCost } from "./usage-cost.js";

/**
 * A chat completion stream as OpenAI sends it, billed at what the stream
 * reports. Chunks pass through as they come, except the one carrying a
 * `finish_reason` (FinishChunkRelay): it ends the stream with the block on
 * it; with `include_usage`, a last chunk with no choices carries the usage
 * (its `cost` included) and the block; a stream that ended without a finish chunk gets an empty one of
 * its own; then `[DONE]`. A failure midway ends with an error event carrying
 * the block, and no `[DONE]`.
 */
export function chatStreamWriter(stream: ChatStream, requestId: string, includeUsage: boolean) {
  return (write: (text: string) => void): StreamWriter<ChatCompletionChunk> => {
    const chunks = new FinishChunkRelay(write);
    const writeData = (payload: object) => write(encodeSseData(JSON.stringify(payload)));
    let lastChunk: Record<string, unknown> | undefined;
    return {
      write(chunk) {
        lastChunk = chunk;
        chunks.relay(chunk);
      },
      billedUsage: () => ({ usage: stream.usage, usageSource: stream.usageSource }),
      end({ modelfaucet, record, failure }) {
        if (failure) {
          chunks.flush();
          writeData({ error: { code: failure.code, message: failure.message, request_id: requestId }, modelfaucet });
          return;
        }
        const { id, created, model } = lastChunk ?? {};
        const emptyChunk = { id, object: "chat.completion.chunk", created, model, choices: [] };
        const retail = record.charge.retail;
        // An upstream may put its usage on the finish chunk itself: it gets its cost like ours.
        const carried = chunks.finish((held) =>
          held.usage
            ? { ...held, usage: withCost(upstreamUsageOr(held.usage, {}), retail), modelfaucet }
            : { ...held, modelfaucet },
        );
        if (includeUsage) writeData({ ...emptyChunk, usage: withCost(openAiUsage(record.usage), retail), modelfaucet });
        else if (!carried) writeData({ ...emptyChunk, modelfaucet });
        write(SSE_DONE);
      },
    };
  };
}
