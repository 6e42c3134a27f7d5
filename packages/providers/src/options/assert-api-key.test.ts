import { describe, expect, it } from "vitest";
import { assertApiKey } from "./assert-api-key.js";

describe("assertApiKey", () => {
  it("requires a printable key when the upstream needs one", () => {
    expect(() => assertApiKey("p", "sk-1", true)).not.toThrow();
    for (const key of [undefined, "", "has space"]) {
      expect(() => assertApiKey("p", key, true)).toThrow(
        new TypeError('provider "p": apiKey is required and must be printable ASCII without spaces'),
      );
    }
  });

  it("accepts no key when it is optional, but not a malformed one", () => {
    expect(() => assertApiKey("p", undefined, false)).not.toThrow();
    expect(() => assertApiKey("p", "bad key", false)).toThrow(
      new TypeError('provider "p": apiKey must be printable ASCII without spaces'),
    );
  });
});
