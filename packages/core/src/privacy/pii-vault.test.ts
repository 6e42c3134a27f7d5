import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectPii, PiiScan } from "./detect-pii.js";
import { passesLuhn } from "./luhn.js";
import type { PiiSpan } from "./pii-span.js";
import { PiiVault } from "./pii-vault.js";
import { compileRedactionPolicy } from "./redaction-policy.js";

const policy = compileRedactionPolicy([{ name: "ORDER_ID", pattern: "ORD-\\d{4,8}" }]);

// Personal items of every kind, and the text around them: words, punctuation, digits, brackets,
// placeholder look-alikes, unicode — so items touch each other and their neighbours in every way.
const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((ds) => ds.join(""));
const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9._+-]{1,12}$/),
    fc.stringMatching(/^[a-z0-9-]{1,10}$/),
    fc.constantFrom("com", "io", "co.uk", "de"),
  )
  .map(([local, domain, top]) => `${local}@${domain}.${top}`);
const phone = fc.oneof(
  digits(8, 14).map((ds) => `+${ds}`),
  fc.tuple(digits(3, 3), digits(3, 3), digits(4, 4)).map(([a, b, c]) => `(${a}) ${b}-${c}`),
);
const card = digits(15, 15).map((body) => {
  const check = [...Array(10).keys()].find((digit) => passesLuhn(`${body}${digit}`))!;
  return `${body}${check}`.replace(/(\d{4})(?=\d)/g, "$1 ");
});
const iban = digits(18, 18).map((account) => {
  for (let check = 2; check < 100; check++) {
    const candidate = `DE${String(check).padStart(2, "0")}${account}`;
    if (detectPii(candidate, policy).some((span) => span.label === "IBAN")) return candidate;
  }
  return `DE00${account}`;
});
const ip = fc.oneof(
  fc.tuple(...[0, 1, 2, 3].map(() => fc.integer({ min: 0, max: 255 }))).map((octets) => octets.join(".")),
  fc.constantFrom("2001:db8::1", "::1", "fe80::1ff:fe23:4567:890a"),
);
const order = digits(4, 8).map((ds) => `ORD-${ds}`);
const filler = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
  fc.constantFrom(
    " ",
    ", ",
    ".",
    "-",
    "@",
    "[",
    "]",
    "_",
    "1",
    "[EMAIL_1]",
    "[PHONE_2]",
    "[IP_1",
    "EMAIL_1]",
    "é",
    "😀",
  ),
);
const piece = fc.oneof({ weight: 3, arbitrary: filler }, email, phone, card, iban, ip, order);
const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(""));
const request = fc.array(text, { minLength: 1, maxLength: 4 });

function redacted(texts: string[]) {
  const vault = new PiiVault(policy);
  for (const each of texts) vault.collect(each);
  return { vault, out: texts.map((each) => vault.redact(each)) };
}

describe("PiiVault", () => {
  it("restore(redact(x)) is x, for every text of a request", () => {
    fc.assert(
      fc.property(request, (texts) => {
        const { vault, out } = redacted(texts);
        expect(out.map((each) => vault.restore(each))).toEqual(texts);
      }),
      { numRuns: 500 },
    );
  });

  it("leaves no item it found in any redacted text of the request", () => {
    fc.assert(
      fc.property(request, (texts) => {
        const { out } = redacted(texts);
        const items = texts.flatMap((each) => detectPii(each, policy).map(({ start, end }) => each.slice(start, end)));
        for (const item of items) for (const each of out) expect(each).not.toContain(item);
      }),
      { numRuns: 500 },
    );
  });

  it("restores a stream however it is cut, a placeholder split over pieces included", () => {
    const cuts = fc.array(fc.nat(), { maxLength: 8 });
    fc.assert(
      fc.property(request, cuts, (texts, cutAt) => {
        const { vault, out } = redacted(texts);
        const whole = out.join("\n");
        const points = [...new Set(cutAt.map((cut) => cut % (whole.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points, whole.length]
          .slice(1)
          .map((end, index, ends) => whole.slice(index === 0 ? 0 : ends[index - 1], end));
        const restorer = vault.streamRestorer();
        const shown = pieces.map((each) => restorer.push(each)).join("") + restorer.end();
        expect(shown).toBe(texts.join("\n"));
      }),
      { numRuns: 500 },
    );
  });

  it("gives one item one placeholder across the request, never one the request already holds", () => {
    const { vault, out } = redacted([
      "Mail jane@example.com, not [EMAIL_1].",
      "Again jane@example.com; also bob@example.org",
    ]);
    expect(out).toEqual(["Mail [EMAIL_2], not [EMAIL_1].", "Again [EMAIL_2]; also [EMAIL_3]"]);
    expect(vault.size).toBe(2);
    expect(vault.restore("Reply to [EMAIL_2] and [EMAIL_3], not [EMAIL_1] or [EMAIL_9].")).toBe(
      "Reply to jane@example.com and bob@example.org, not [EMAIL_1] or [EMAIL_9].",
    );
  });

  it("hides an item wherever it appears once found, even where its detector would not fire", () => {
    const { out } = redacted(["server 10.0.0.7", "build v10.0.0.7.2"]);
    expect(out).toEqual(["server [IP_1]", "build v[IP_1].2"]);
  });

  it("redacts many distinct items that start alike in time linear in the text", () => {
    // Every place starting with `use` once had to be compared with every item starting so: 20,000² comparisons.
    const text = Array.from({ length: 20_000 }, (_, n) => `user${n}@example.com`).join(" ");
    const started = performance.now();
    const { vault, out } = redacted([text]);
    expect(vault.size).toBe(20_000);
    expect(out[0]).toMatch(/^\[EMAIL_1\] \[EMAIL_2\] /);
    expect(vault.restore(out[0]!)).toBe(text);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("holds back only the start of a placeholder it issued, in a stream", () => {
    const { vault } = redacted(["call +1 415 555 0100"]);
    const restorer = vault.streamRestorer();
    expect(restorer.push("Call [PHO")).toBe("Call ");
    expect(restorer.push("NE_1] or [see")).toBe("+1 415 555 0100 or [see");
    expect(restorer.push(" notes] [PHONE_")).toBe(" notes] ");
    expect(restorer.end()).toBe("[PHONE_");
  });
});

describe("working a text in steps", () => {
  // Long runs of letters and digits (blobs, tokens), and runs with nowhere safe to cut (groups of digits,
  // dotted and coloned numbers, `a@b.`, IBAN-like and phone-like groups), next to items and punctuation.
  const run = fc.oneof(
    fc.integer({ min: 250, max: 700 }).map((length) => "7".repeat(length)),
    fc.integer({ min: 100, max: 300 }).map((length) => "ab12".repeat(length)),
    fc
      .tuple(fc.constantFrom("1 ", "12 ", "1234-", "1.", "1:a:", "a@b.", "(1) ", "+1 ", "DE89 ", "AB12"), fc.nat(120))
      .map(([unit, count]) => unit.repeat(count)),
  );
  const long = fc
    .array(fc.oneof(piece, run, fc.constantFrom("@", ".", "@x", "x.io", " ", "-", "(", "+", ":")), { maxLength: 12 })
    .map((pieces) => pieces.join(""));
  const steps = fc.integer({ min: 1, max: 400 });

  it("cuts anywhere: detecting, collecting and redacting step by step is the same as whole", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(text, long), { minLength: 1, maxLength: 4 }), steps, (texts, size) => {
        const text = texts.join(" and then \n");
        const scan = new PiiScan(text, policy);
        const stepwise: PiiSpan[] = [];
        for (let stop = size; stop - size < text.length; stop += size) stepwise.push(...scan.scanTo(stop));
        expect(stepwise).toEqual(detectPii(text, policy));
        const whole = new PiiVault(policy);
        whole.collect(text);
        const piecewise = new PiiVault(policy);
        const collecting = piecewise.collecting(text);
        while (!collecting.step(size));
        const redacting = piecewise.redacting(text);
        while (!redacting.step(size));
        expect(redacting.text).toBe(whole.redact(text));
      }),
      { numRuns: 500 },
    );
  });
});
