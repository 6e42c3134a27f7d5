import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "./redact-secret.js";

describe("createRedactor", () => {
  const redact = createRedactor("sk-live-0123456789");

  it("replaces every occurrence", () => {
    expect(redact("key sk-live-0123456789 and sk-live-0123456789.")).toBe(`key ${REDACTED} and ${REDACTED}.`);
  });

  it("removes a prefix of the key left at the end of a cut body", () => {
    expect(redact('{"message":"Incorrect key sk-live-01')).toBe(`{"message":"Incorrect key ${REDACTED}`);
    expect(redact("ends with sk-")).toBe("ends with sk-"); // under 4 characters: too common to mean anything
  });

  it("is the identity without a key", () => {
    expect(createRedactor(undefined)("anything")).toBe("anything");
  });
});
