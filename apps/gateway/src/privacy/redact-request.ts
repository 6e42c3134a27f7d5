import { setImmediate as nextTurn } from "node:timers/promises";
import { PiiVault, splitAtSafePoints, type RedactionPolicy } from "@modelfaucet/core";
import type { TextMap } from "./map-strings.js";

/**
 * How long redaction runs before it lets the event loop take a turn, ms, and
 * the length of text worked on between two looks at the clock. A 2 KB
 * prompt takes a tenth of a millisecond and never yields; a body of
 * megabytes is worked through in 5 ms slices (as prompt counting is), so
 * other requests keep moving meanwhile. There is no budget: every text is
 * redacted in full, whatever it costs.
 */
const SLICE_MS = 5;
const PIECE_LENGTH = 16_384;

/** A new vault for one request under a feature that redacts; undefined when the feature sends prompts as written. */
export function vaultFor(feature: { redaction: RedactionPolicy | undefined }): PiiVault | undefined {
  return feature.redaction && new PiiVault(feature.redaction);
}

/**
 * `request` as it may leave for a cloud provider: its texts (as `mapTexts`
 * finds them) redacted with `vault`, in two passes — every text is collected
 * first, so an item found in one message is hidden in all of them. Long
 * texts are worked through piece by piece (splitAtSafePoints: exactly as
 * whole), yielding between slices.
 */
export async function redactRequest<Request>(
  vault: PiiVault,
  request: Request,
  mapTexts: (request: Request, map: TextMap) => Request,
): Promise<Request> {
  const texts: string[] = [];
  mapTexts(request, (text) => {
    texts.push(text);
    return text;
  });
  const pieces = texts.map((text) => splitAtSafePoints(text, PIECE_LENGTH));
  let sliceStart = performance.now();
  const pause = async () => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await nextTurn();
    sliceStart = performance.now();
  };
  for (const textPieces of pieces) {
    for (const piece of textPieces) {
      vault.collect(piece);
      await pause();
    }
  }
  const redacted = new Map<string, string>();
  for (const [index, textPieces] of pieces.entries()) {
    let text = "";
    for (const piece of textPieces) {
      text += vault.redact(piece);
      await pause();
    }
    redacted.set(texts[index]!, text);
  }
  return mapTexts(request, (text) => redacted.get(text) ?? vault.redact(text));
}
