import { encodeSseData, type ChatCompletionChunk } from "@modelfaucet/providers";

/** Whether a chunk ends one of its choices (carries a `finish_reason`). */
function endsAChoice(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.some((choice) => typeof (choice as { finish_reason?: unknown }).finish_reason === "string");
}

/**
 * Writes a chat stream's chunks as they come, except a chunk that ends a
 * choice (`finish_reason`): that one waits for the next chunk (then goes out
 * unchanged) or for the end of the stream. So the last chunk of an answer is
 * still unwritten when the request is settled, and can carry the price and
 * the wallet after it, known only then. No other chunk is delayed.
 */
export class FinishChunkRelay {
  #held: ChatCompletionChunk | undefined;
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  relay(chunk: ChatCompletionChunk): void {
    this.flush();
    if (endsAChoice(chunk)) this.#held = chunk;
    else this.#send(chunk);
  }

  /** Writes the held chunk as `complete` makes it (the block added, say); false when no chunk was held. */
  finish(complete: (held: ChatCompletionChunk) => object): boolean {
    if (!this.#held) return false;
    this.#send(complete(this.#held));
    this.#held = undefined;
    return true;
  }

  /** Writes the held chunk, if any, unchanged (e.g. before an error event). */
  flush(): void {
    if (this.#held) this.#send(this.#held);
    this.#held = undefined;
  }

  #send(chunk: object): void {
    this.#write(encodeSseData(JSON.stringify(chunk)));
  }
}
