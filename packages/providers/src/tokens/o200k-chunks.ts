import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";

/**
 * Longest o200k piece (a run of letters, of punctuation or of whitespace, as
 * the tokenizer's own pre-split regex cuts text) counted exactly, in UTF-16
 * code units. Byte-pair merging is quadratic in a piece's length: 100,000 ×
 * "y" took 6–7 s. Longer pieces are counted as their UTF-8 bytes, which no
 * byte-level BPE can exceed (every token covers at least one byte). Real
 * text seldom has a longer piece (a long URL, a markdown rule): German,
 * Russian, Chinese, Japanese and Korean text we measured counted exactly,
 * this repository's code and docs within 0.1% (its markdown alone, 1.3%).
 */
export const MAX_EXACT_PIECE_CHARS = 64;

/** Most characters of short pieces counted in one tokenizer call: a unit of work small enough to time. */
const CHUNK_CHARS = 512;

// Text that spells a special token (`<|endoftext|>`) is ordinary user text here.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** One step of counting a text: tokens of `text.slice(previous end, end)`. */
export interface CountedChunk {
  tokens: number;
  /** Where in the text this chunk ends (UTF-16 index); the next one starts there. */
  end: number;
}

/** UTF-8 bytes of `text`: an upper bound of its tokens under any byte-level BPE. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Counts `text` chunk by chunk in time linear in its length: runs of short
 * pieces exactly with o200k_base (about CHUNK_CHARS per call), each piece
 * longer than MAX_EXACT_PIECE_CHARS as its UTF-8 bytes. The total equals
 * `countTokens(text)` when no piece is long (and no run of short pieces goes
 * CHUNK_CHARS without a place to cut, which ordinary text never does), and
 * exceeds it otherwise.
 *
 * A chunk is cut only between two of the regex's pieces, and only where
 * splitting the chunk again finds the same pieces (isSafeCut), so its count
 * is exactly the sum of its pieces'. Whole pieces that cannot be cut that
 * way (a long run of "!\n") are counted as their bytes.
 */
export function* countChunks(text: string): Generator<CountedChunk> {
  if (text.length <= MAX_EXACT_PIECE_CHARS) {
    yield { tokens: exactTokens(text), end: text.length };
    return;
  }
  let start = 0;
  // The latest piece end at or after `start` where the pending chunk may be cut.
  let safe = 0;
  for (const match of text.matchAll(O200K_TOKEN_SPLIT_REGEX)) {
    const at = match.index;
    const end = at + match[0].length;
    if (match[0].length > MAX_EXACT_PIECE_CHARS) {
      if (safe > start) yield { tokens: exactTokens(text.slice(start, safe)), end: safe };
      if (at > safe) yield { tokens: utf8Bytes(text.slice(safe, at)), end: at };
      yield { tokens: utf8Bytes(match[0]), end };
      start = safe = end;
      continue;
    }
    if (isSafeCut(text, end)) safe = end;
    if (end - start < CHUNK_CHARS) continue;
    if (safe > start) {
      yield { tokens: exactTokens(text.slice(start, safe)), end: safe };
      start = safe;
    } else {
      yield { tokens: utf8Bytes(text.slice(start, end)), end };
      start = safe = end;
    }
  }
  if (start < text.length) yield { tokens: exactTokens(text.slice(start)), end: text.length };
}

const WHITESPACE = /\s/y;

function isWhitespaceAt(text: string, index: number): boolean {
  WHITESPACE.lastIndex = index;
  return WHITESPACE.test(text);
}

/**
 * Whether the pieces of `text.slice(0, cut)` are those of `text` before
 * `cut` (a piece boundary). Only whitespace right before a non-space
 * character can split differently: the regex's `\s+(?!\S)` gives the last
 * space of such a run to the next piece, but at the end of a chunk it keeps
 * the whole run. (Checked exhaustively on random text in the tests.)
 */
function isSafeCut(text: string, cut: number): boolean {
  return cut === text.length || !isWhitespaceAt(text, cut - 1) || isWhitespaceAt(text, cut);
}

function exactTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, PLAIN_TEXT);
}
