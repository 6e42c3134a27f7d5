import { describe, expect, it } from "vitest";
import { detectPii } from "./detect-pii.js";
import { compileRedactionPolicy } from "./redaction-policy.js";

const policy = compileRedactionPolicy([{ name: "ORDER_ID", pattern: "ORD-\\d{4,8}" }]);
const found = (text: string) =>
  detectPii(text, policy).map(({ start, end, label }) => [label, text.slice(start, end)] as const);

describe("the built-in detectors", () => {
  it.each([
    ["write to jane.doe+work@example.co.uk today", [["EMAIL", "jane.doe+work@example.co.uk"]]],
    ["mail: a@b.io.", [["EMAIL", "a@b.io"]]],
    ["not an address: a@b, @home, x@y.z", []],
    ["card 4111 1111 1111 1111 exp 12/27", [["CARD", "4111 1111 1111 1111"]]],
    ["card 4111-1111-1111-1111 12 27", [["CARD", "4111-1111-1111-1111"]]],
    ["card 4111111111111111.", [["CARD", "4111111111111111"]]],
    ["not a card (Luhn fails): 4111 1111 1111 1112", []],
    ["qty 2 4111 1111 1111 1111 exp 12 27", [["CARD", "4111 1111 1111 1111"]]],
    ["0000 0000 0000 0000 followed by 1234567890123456789012345x", [["CARD", "0000 0000 0000 0000"]]],
    ["IBAN DE89 3704 0044 0532 0130 00 please", [["IBAN", "DE89 3704 0044 0532 0130 00"]]],
    ["IBAN GB82WEST12345698765432", [["IBAN", "GB82WEST12345698765432"]]],
    [
      "server 203.0.113.7, mask 255.255.255.0",
      [
        ["IP", "203.0.113.7"],
        ["IP", "255.255.255.0"],
      ],
    ],
    [
      "v6 2001:db8::8a2e:370:7334 and ::1 and ::ffff:192.0.2.1",
      [
        ["IP", "2001:db8::8a2e:370:7334"],
        ["IP", "::1"],
        ["IP", "::ffff:192.0.2.1"],
      ],
    ],
    ["versions 1.2.3.4.5, 256.1.1.1, times 12:30:45, dead::beef", []],
    [`hash ${"ab12".repeat(20)}.2001:db8::1 seen`, [["IP", "2001:db8::1"]]],
    [
      "call +44 20 7946 0958 or (415) 555-0100",
      [
        ["PHONE", "+44 20 7946 0958"],
        ["PHONE", "(415) 555-0100"],
      ],
    ],
    [
      "call +14155550100 or 030 1234 5678",
      [
        ["PHONE", "+14155550100"],
        ["PHONE", "030 1234 5678"],
      ],
    ],
    ["not phones: 2024-01-15, 3.14159 2.71828, 1700000000, 555-0100", []],
    ["order ORD-123456 and ORD-12 and XORD-1234", [["ORDER_ID", "ORD-123456"]]],
  ])("%s", (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it("checks an IBAN's mod 97 (the digits after it may still be a card number that passes Luhn)", () => {
    expect(found("DE89 3704 0044 0532 0130 01").filter(([label]) => label === "IBAN")).toEqual([]);
    expect(found("DE88 3704 0044 0532 0130 00").filter(([label]) => label === "IBAN")).toEqual([]);
  });

  it("prefers the earlier, then the longer find: an address is an IP before it is a phone number", () => {
    expect(found("host 192.168.100.200 up")).toEqual([["IP", "192.168.100.200"]]);
  });
});
