import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MASKED_SHORT_SECRET, maskSecret, MIN_MASKABLE_SECRET_LENGTH } from "./mask-secret.js";

describe("maskSecret", () => {
  it.each([
    ["sk-proj-abcdefghijklmnop1234", "sk-...1234"],
    ["sk-ant-api03-abcdefghijklmnopWXYZ", "sk-...WXYZ"],
    ["AIzaSyA-abcdefghijklmnopqrstuvwx", "AIz...uvwx"],
    ["gsk_abcdefghijklmnopqrst9876", "gsk...9876"],
    ["short-key", MASKED_SHORT_SECRET],
  ])("%s → %s", (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });

  it("never shows more than 8 characters of the key, and none of a short key", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (secret) => {
        const masked = maskSecret(secret);
        const shown = masked.replace("...", "");
        expect(shown.length).toBeLessThanOrEqual(secret.length < MIN_MASKABLE_SECRET_LENGTH ? 3 : 8);
        if (secret.length >= MIN_MASKABLE_SECRET_LENGTH) expect(masked).not.toContain(secret);
      }),
    );
  });
});
