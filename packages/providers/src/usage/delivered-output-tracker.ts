import type { DeliveredOutput } from "../spec/chat-provider.js";
import { countTextTokens } from "../tokens/count-tokens.js";
import { collectChoicesText } from "./generated-text.js";

/**
 * Accumulates what a stream has yielded. Text pieces are kept as a list and
 * joined / tokenized only when read, once per change.
 */
export class DeliveredOutputTracker implements DeliveredOutput {
  #chunks = 0;
  readonly #pieces: string[] = [];
  #tokens = 0;
  #tokensForPieces = 0;

  /** Records a yielded chunk; returns whether one of its choices finished. */
  addChunk(choices: readonly unknown[]): boolean {
    this.#chunks += 1;
    return collectChoicesText(choices, "delta", this.#pieces);
  }

  get chunks(): number {
    return this.#chunks;
  }

  get text(): string {
    return this.#pieces.join("");
  }

  get hasText(): boolean {
    return this.#pieces.length > 0;
  }

  get outputTokens(): number {
    if (this.#tokensForPieces !== this.#pieces.length) {
      this.#tokens = countTextTokens(this.text);
      this.#tokensForPieces = this.#pieces.length;
    }
    return this.#tokens;
  }
}
