import { codeAt, isAlnum, isDigit, isWordChar } from "./char-classes.js";
import type { PiiSpan } from "./pii-span.js";

/**
 * A developer's own pattern of personal data (`policy.pii_patterns`), in a
 * safe subset of regular expressions that is matched in linear time — never
 * by a backtracking engine, so no pattern can be made to run away, whatever
 * the text:
 * - characters stand for themselves; `\` escapes `. - ? { } ( ) * + | ^ $ /`;
 * - `\d` a digit, `\w` a letter, digit or `_`, `.` any character but
 *   whitespace and the ones below;
 * - `[A-Z0-9-]`: a class of characters and ranges (`\d`, `\w` inside too),
 *   no negation;
 * - `?`, `{n}` and `{n,m}` (m ≤ 32) after an item; no `*`, `+`,
 *   alternation or groups — every match has a bounded length.
 * A match never holds `"`, `\`, `[`, `]`, whitespace or control characters
 * (so placeholders and JSON text stay intact around it), is at least 3
 * characters long, and does not start or end inside a word (the characters
 * next to it are not letters, digits or `_` where its own are).
 */
export interface CustomPattern {
  /** The placeholder's label: `ORDER_ID` → `[ORDER_ID_1]`. */
  name: string;
  pattern: string;
}

/** Limits on `policy.pii_patterns`, part of the contract (they bound the matching work per character). */
export const CUSTOM_PATTERN_LIMITS = Object.freeze({
  maxPatterns: 16,
  maxPatternLength: 128,
  maxRepeat: 32,
  /** Most characters one match can span (the sum of each item's largest repeat). */
  maxMatchLength: 64,
  minMatchLength: 3,
  /** Over all of a feature's patterns: what one character of text may cost to match. */
  maxTotalMatchLength: 256,
});

/** A placeholder label: uppercase letters, digits and `_`, starting with a letter, 2–24 characters. */
export const CUSTOM_PATTERN_NAME = /^[A-Z][A-Z0-9_]{1,23}$/;

type CharTest = (code: number) => boolean;

/** One character position of a pattern once its repeats are unrolled; optional ones may be skipped. */
interface Position {
  test: CharTest;
  optional: boolean;
}

/** A pattern ready to match. */
export interface CompiledPattern {
  name: string;
  /** Character positions, `{n,m}` unrolled into n required and m − n optional ones. */
  positions: readonly Position[];
  /** Every match in `text`. */
  find(text: string): PiiSpan[];
  /** A scan of `text` that finds its matches a stretch at a time (see PatternScan). */
  scan(text: string): PatternScan;
}

export class CustomPatternError extends Error {
  override name = "CustomPatternError";
}

const isMatchable: CharTest = (code) =>
  code > 32 && code !== 127 && code !== 34 && code !== 92 && code !== 91 && code !== 93 && !(code >= 128 && code < 160);
const ESCAPABLE = new Set([..."-.?{}()*+|^$/"]);
const UNSUPPORTED = new Map([
  ["*", "`*` (unbounded) is not supported: use {n,m}"],
  ["+", "`+` (unbounded) is not supported: use {1,m}"],
  ["|", "alternation `|` is not supported: write one pattern per alternative"],
  ["(", "groups `( )` are not supported"],
  [")", "groups `( )` are not supported"],
  ["^", "anchors `^` are not supported: matches start at a word boundary"],
  ["$", "anchors `$` are not supported: matches end at a word boundary"],
  ["]", "`]` without `[`"],
  ["}", "`}` without `{`"],
]);

/** Compiles `pattern`, or throws CustomPatternError saying what is wrong and where. */
export function compileCustomPattern({ name, pattern }: CustomPattern): CompiledPattern {
  const limits = CUSTOM_PATTERN_LIMITS;
  if (!CUSTOM_PATTERN_NAME.test(name)) {
    throw new CustomPatternError("name must be 2–24 uppercase letters, digits or _, starting with a letter");
  }
  if (pattern.length === 0 || pattern.length > limits.maxPatternLength) {
    throw new CustomPatternError(`pattern must be 1–${limits.maxPatternLength} characters`);
  }
  const positions: Position[] = [];
  let minLength = 0;
  let index = 0;
  while (index < pattern.length) {
    const item = readItem(pattern, index);
    const repeat = readRepeat(pattern, item.next);
    for (let count = 0; count < repeat.max; count++) positions.push({ test: item.test, optional: count >= repeat.min });
    minLength += repeat.min;
    if (positions.length > limits.maxMatchLength) {
      throw new CustomPatternError(`a match may span at most ${limits.maxMatchLength} characters`);
    }
    index = repeat.next;
  }
  if (minLength < limits.minMatchLength) {
    throw new CustomPatternError(`every match must be at least ${limits.minMatchLength} characters long`);
  }
  const first = firstStarts(positions);
  const scan = (text: string) => new PatternScan(text, name, positions, first);
  return {
    name,
    positions,
    scan,
    find: (text) => {
      const found: PiiSpan[] = [];
      scan(text).findBefore(text.length, found);
      return found;
    },
  };
}

function readItem(pattern: string, index: number): { test: CharTest; next: number } {
  const char = pattern[index]!;
  if (char === "\\") return { test: readEscape(pattern, index), next: index + 2 };
  if (char === "[") return readClass(pattern, index);
  if (char === ".") return { test: isMatchable, next: index + 1 };
  const problem = UNSUPPORTED.get(char) ?? (char === "?" || char === "{" ? "a repeat must follow an item" : undefined);
  if (problem) throw new CustomPatternError(`${problem} (at ${index + 1})`);
  return { test: literal(pattern, index), next: index + 1 };
}

/** The character each literal's test stands for (so a scan can look for it with indexOf). */
const literalCodes = new WeakMap<CharTest, number>();

function literal(pattern: string, index: number): CharTest {
  const code = pattern.charCodeAt(index);
  if (!isMatchable(code)) {
    throw new CustomPatternError(`matches cannot hold whitespace, control characters, " \\ [ or ] (at ${index + 1})`);
  }
  const test: CharTest = (candidate) => candidate === code;
  literalCodes.set(test, code);
  return test;
}

function readEscape(pattern: string, index: number): CharTest {
  const escaped = pattern[index + 1];
  if (escaped === "d") return isDigit;
  if (escaped === "w") return isWordChar;
  if (escaped !== undefined && ESCAPABLE.has(escaped)) return literal(pattern, index + 1);
  throw new CustomPatternError(
    `unsupported escape \\${escaped ?? ""} (at ${index + 1}): use \\d, \\w or \\ before -.?{}()*+|^$/`,
  );
}

/** `[…]`: characters, ranges `a-z` and `\d` / `\w`; a `-` first or last stands for itself. */
function readClass(pattern: string, open: number): { test: CharTest; next: number } {
  const tests: CharTest[] = [];
  let index = open + 1;
  if (pattern[index] === "^") throw new CustomPatternError(`negated classes [^…] are not supported (at ${index + 1})`);
  while (index < pattern.length && pattern[index] !== "]") {
    if (pattern[index] === "\\") {
      tests.push(readEscape(pattern, index));
      index += 2;
      continue;
    }
    const from = pattern.charCodeAt(index);
    if (pattern[index + 1] === "-" && index + 2 < pattern.length && pattern[index + 2] !== "]") {
      const to = pattern.charCodeAt(index + 2);
      if (!isAlnum(from) || !isAlnum(to) || to < from || isDigit(from) !== isDigit(to)) {
        throw new CustomPatternError(`a range must run between two letters or two digits, in order (at ${index + 1})`);
      }
      tests.push((code) => code >= from && code <= to);
      index += 3;
      continue;
    }
    if (pattern[index] === "[") throw new CustomPatternError(`matches cannot hold [ or ] (at ${index + 1})`);
    tests.push(literal(pattern, index));
    index += 1;
  }
  if (index >= pattern.length) throw new CustomPatternError(`a class [ at ${open + 1} is not closed`);
  if (tests.length === 0) throw new CustomPatternError(`an empty class [] (at ${open + 1})`);
  return { test: (code) => tests.some((test) => test(code)), next: index + 1 };
}

function readRepeat(pattern: string, index: number): { min: number; max: number; next: number } {
  if (pattern[index] === "?") return { min: 0, max: 1, next: index + 1 };
  if (pattern[index] !== "{") return { min: 1, max: 1, next: index };
  const close = pattern.indexOf("}", index);
  const body = close === -1 ? "" : pattern.slice(index + 1, close);
  const bounds = /^(\d{1,2})(?:,(\d{1,2}))?$/.exec(body);
  if (!bounds) throw new CustomPatternError(`a repeat is {n} or {n,m} (at ${index + 1})`);
  const min = Number(bounds[1]);
  const max = bounds[2] === undefined ? min : Number(bounds[2]);
  if (max < 1 || max < min || max > CUSTOM_PATTERN_LIMITS.maxRepeat) {
    throw new CustomPatternError(
      `a repeat {n,m} needs 0 ≤ n ≤ m, 1 ≤ m ≤ ${CUSTOM_PATTERN_LIMITS.maxRepeat} (at ${index + 1})`,
    );
  }
  return { min, max, next: close + 1 };
}

/** Which characters a match may start with: a table for ASCII, the tests themselves for the rest. */
interface FirstStarts {
  ascii: Uint8Array;
  tests: readonly CharTest[];
  /** The one character every match starts with, or -1: then the scan goes from one to the next with indexOf. */
  only: number;
}

/**
 * Leftmost-longest, non-overlapping matches of one pattern in one text, by
 * simulating the pattern's automaton over the text: one set of live states,
 * each remembering the earliest start that reached it, advanced once per
 * character — work proportional to the text's length times the pattern's
 * positions, never more. A match is taken once no live state could still
 * produce one that starts at or before it; the scan then resumes at its end
 * (at most one match length back). The scan can stop at any character and
 * go on later from the state it kept, finding exactly what one run would.
 */
export class PatternScan {
  readonly #text: string;
  readonly #label: string;
  readonly #positions: readonly Position[];
  readonly #first: FirstStarts;
  #states: Int32Array;
  #next: Int32Array;
  #live = 0;
  #best: { start: number; end: number } | undefined;
  #at = 0;
  #done = false;

  constructor(text: string, label: string, positions: readonly Position[], first: FirstStarts) {
    this.#text = text;
    this.#label = label;
    this.#positions = positions;
    this.#first = first;
    this.#states = new Int32Array(positions.length + 1).fill(-1);
    this.#next = new Int32Array(positions.length + 1).fill(-1);
  }

  /**
   * Pushes onto `found`, in text order, every match that starts before
   * `stop` and has not been pushed yet (and maybe some after it): a match is
   * settled at most its length past its start, so the scan reads on that far.
   */
  findBefore(stop: number, found: PiiSpan[]): void {
    if (this.#done) return;
    const text = this.#text;
    const size = this.#positions.length;
    // Far enough to settle every match that starts before `stop`; to the end (and past it) when that is near.
    const limit = stop + size + 1 < text.length ? stop + size + 1 : text.length + 1;
    let states = this.#states;
    let next = this.#next;
    let at = this.#at;
    while (at <= text.length && at < limit) {
      if (this.#live === 0 && this.#best === undefined) {
        // Idle: skip to where a match may start (the text's end, or the limit: go on from there next time).
        const until = Math.min(limit, text.length);
        at = this.#nextStart(at, until);
        if (at >= until) break;
      }
      if (this.#canStart(at) && (states[0]! === -1 || states[0]! > at)) {
        states[0] = at;
        this.#live = closeOver(states, this.#positions);
      }
      const started = states[size]!;
      const best = this.#best;
      if (
        started !== -1 &&
        canEnd(text, at) &&
        (best === undefined || started < best.start || (started === best.start && at > best.end))
      ) {
        this.#best = { start: started, end: at };
      }
      if (this.#best !== undefined && !hasStateStartingBy(states, size, this.#best.start)) {
        found.push({ start: this.#best.start, end: this.#best.end, label: this.#label });
        at = this.#best.end;
        this.#best = undefined;
        states.fill(-1);
        this.#live = 0;
        continue;
      }
      if (at === text.length) break;
      const code = text.charCodeAt(at);
      next.fill(-1);
      for (let state = 0; state < size; state++) {
        const start = states[state]!;
        if (start !== -1 && this.#positions[state]!.test(code)) {
          const current = next[state + 1]!;
          if (current === -1 || start < current) next[state + 1] = start;
        }
      }
      [states, next] = [next, states];
      this.#live = closeOver(states, this.#positions);
      at++;
    }
    this.#states = states;
    this.#next = next;
    this.#at = at;
    if (limit > text.length) this.#finish(found);
  }

  /** The text is read to its end: the match still pending, if any, is the last. */
  #finish(found: PiiSpan[]): void {
    this.#done = true;
    if (this.#best !== undefined) found.push({ start: this.#best.start, end: this.#best.end, label: this.#label });
    this.#best = undefined;
  }

  /** The first place at or after `at`, before `stop`, where a match may start; `stop` when there is none. */
  #nextStart(at: number, stop: number): number {
    const text = this.#text;
    const only = this.#first.only;
    for (let index = at; index < stop; index++) {
      if (only !== -1) {
        index = text.indexOf(String.fromCharCode(only), index);
        if (index === -1 || index >= stop) return stop;
      }
      if (this.#canStart(index)) return index;
    }
    return stop;
  }

  #canStart(at: number): boolean {
    const code = codeAt(this.#text, at);
    const first = this.#first;
    const may = code < 128 ? code >= 0 && first.ascii[code] === 1 : first.tests.some((test) => test(code));
    return may && !(isWordChar(code) && isWordChar(codeAt(this.#text, at - 1)));
  }
}

const canEnd = (text: string, at: number) => !(isWordChar(codeAt(text, at - 1)) && isWordChar(codeAt(text, at)));

/** The characters a match may start with (leadingTests), tabulated once per pattern. */
function firstStarts(positions: readonly Position[]): FirstStarts {
  const tests = leadingTests(positions);
  const ascii = new Uint8Array(128);
  for (let code = 0; code < 128; code++) ascii[code] = tests.some((test) => test(code)) ? 1 : 0;
  const literalStart = tests.length === 1 ? literalCodes.get(tests[0]!) : undefined;
  return { ascii, tests, only: literalStart !== undefined && literalStart < 128 ? literalStart : -1 };
}

/** The tests a match's first character may pass: the first position's, and the next ones' while those before may be skipped. */
function leadingTests(positions: readonly Position[]): CharTest[] {
  const tests: CharTest[] = [];
  for (const position of positions) {
    tests.push(position.test);
    if (!position.optional) break;
  }
  return tests;
}

/** Lets every live state skip the optional positions after it; answers how many states are live. */
function closeOver(states: Int32Array, positions: readonly Position[]): number {
  let live = 0;
  for (let state = 0; state < positions.length; state++) {
    const start = states[state]!;
    if (start === -1) continue;
    live++;
    if (positions[state]!.optional) {
      const current = states[state + 1]!;
      if (current === -1 || start < current) states[state + 1] = start;
    }
  }
  if (states[positions.length]! !== -1) live++;
  return live;
}

/** Whether a live state other than the accepting one started at or before `start` (it could still win). */
function hasStateStartingBy(states: Int32Array, size: number, start: number): boolean {
  for (let state = 0; state < size; state++) {
    const started = states[state]!;
    if (started !== -1 && started <= start) return true;
  }
  return false;
}
