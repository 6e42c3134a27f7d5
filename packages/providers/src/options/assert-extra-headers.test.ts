import { describe, expect, it } from "vitest";
import { assertExtraHeaders } from "./assert-extra-headers.js";

const reserved = (name: string) => (name === "authorization" ? "the key goes in apiKey" : undefined);

describe("assertExtraHeaders", () => {
  it("accepts valid headers and none", () => {
    expect(() => assertExtraHeaders("p", { "OpenAI-Organization": "org-1" }, reserved)).not.toThrow();
    expect(() => assertExtraHeaders("p", undefined, reserved)).not.toThrow();
  });

  it("refuses a reserved header whatever its case, with the adapter's reason", () => {
    expect(() => assertExtraHeaders("p", { Authorization: "Bearer x" }, reserved)).toThrow(
      new TypeError('provider "p": the key goes in apiKey'),
    );
  });

  it("refuses an invalid name or value without echoing the value", () => {
    expect(() => assertExtraHeaders("p", { "bad name": "v" }, reserved)).toThrow(
      new TypeError('provider "p": header "bad name" is not a valid header'),
    );
    expect(() => assertExtraHeaders("p", { x: "secret\n" }, reserved)).toThrow(
      new TypeError('provider "p": header "x" is not a valid header'),
    );
  });
});
