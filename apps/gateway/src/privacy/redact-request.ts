import { setImmediate as nextTurn } from "node:timers/promises";
import { PiiVault, type RedactionPolicy, type TextSteps } from "@modelfaucet/core";
import type { TextMap } from "./map-strings.js";

/**
 * How long redaction runs before it lets the event loop take a turn, ms, and
 * the length of text worked on between two looks at the clock (the work of
 * one step is bounded by its length, whatever the text: see PiiScan). A
 * request whose texts hold at most one step's length is redacted at once,
 * without looking at the clock; a body of megabytes is worked through in
 * 5 ms slices (as prompt counting is), so other requests keep moving
 * meanwhile. There is no budget: every text is redacted in full, whatever
 * it costs.
 */
const SLICE_MS = 5;
const STEP_LENGTH = 4096;
/**
 * Redacting and giving out placeholders go in smaller steps: a replacing
 * step reads one longest item's length past its end (ItemMatcher), and a
 * request may hold hundreds of thousands of items.
 */
const REDACT_STEP_LENGTH = 1024;
const SEAL_STEP_ITEMS = 1024;

/** A new vault for one request under a feature that redacts; undefined when the feature sends prompts as written. */
export function vaultFor(feature: { redaction: RedactionPolicy | undefined }): PiiVault | undefined {
  return feature.redaction && new PiiVault(feature.redaction);
}

/**
 * `request` as it may leave for a cloud provider: its texts (as `mapTexts`
 * finds them) redacted with `vault`, in two passes — every text is collected
 * first, so an item found in one message is hidden in all of them. Long
 * texts are worked through a step at a time (exactly as whole), yielding
 * between slices.
 */
export async function redactRequest<Request>(
  vault: PiiVault,
  request: Request,
  mapTexts: (request: Request, map: TextMap) => Request,
): Promise<Request> {
  const texts: string[] = [];
  let length = 0;
  mapTexts(request, (text) => {
    texts.push(text);
    length += text.length;
    return text;
  });
  if (length <= STEP_LENGTH) {
    for (const text of texts) vault.collect(text);
    return mapTexts(request, (text) => vault.redact(text));
  }
  const slices = slicer();
  for (const text of texts) await slices.runSteps(vault.collecting(text), STEP_LENGTH);
  await slices.runSteps(vault.sealing(), SEAL_STEP_ITEMS);
  const redacted: string[] = [];
  for (const text of texts) {
    const redacting = vault.redacting(text);
    await slices.runSteps(redacting, REDACT_STEP_LENGTH);
    redacted.push(redacting.text);
  }
  // mapTexts visits the same texts in the same order as it did above.
  let next = 0;
  return mapTexts(request, () => redacted[next++]!);
}

/** Runs steps to their end, letting the event loop take a turn whenever SLICE_MS have passed since the last. */
function slicer() {
  let sliceStart = performance.now();
  return {
    async runSteps(steps: TextSteps, size: number): Promise<void> {
      for (;;) {
        const done = steps.step(size);
        if (performance.now() - sliceStart >= SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
        if (done) return;
      }
    },
  };
}
