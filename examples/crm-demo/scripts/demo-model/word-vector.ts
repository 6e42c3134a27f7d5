const DIMENSIONS = 256;
const STOP_WORDS = new Set(
  "a an and are as at be but by do for from has have i in is it me my of on or our so that the this to was we with you your".split(
    " ",
  ),
);

/** FNV-1a, 32 bits: a stable bucket for a word. */
function hash(word: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < word.length; index++) {
    value ^= word.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/**
 * The demo model's "embedding": a unit vector of hashed word counts (common
 * words left out, words cut to their first five letters so "billing" meets
 * "billed"). Texts that share words come out close — enough for the CRM's
 * search to rank sensibly without a real model.
 */
export function wordVector(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (STOP_WORDS.has(word)) continue;
    const bucket = hash(word.slice(0, 5)) % DIMENSIONS;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
