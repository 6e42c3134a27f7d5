import { describe, expect, it } from "vitest";
import { basePathOf, parseBaseUrl } from "./parse-base-url.js";

describe("parseBaseUrl", () => {
  it("accepts http(s) and keeps the path prefix without trailing slashes", () => {
    const url = parseBaseUrl("p", "https://proxy.example/v1//");
    expect(url.origin).toBe("https://proxy.example");
    expect(basePathOf(url)).toBe("/v1");
    expect(basePathOf(parseBaseUrl("p", "http://localhost:8080"))).toBe("");
  });

  it.each([
    ["not a url", "baseUrl is not a valid URL"],
    ["ftp://host", "baseUrl must be http or https"],
    ["https://user:secret@host", "baseUrl must not contain credentials, a query or a fragment"],
    ["https://host/?key=secret", "baseUrl must not contain credentials, a query or a fragment"],
    ["https://host/#x", "baseUrl must not contain credentials, a query or a fragment"],
  ])("refuses %s without echoing it", (baseUrl, reason) => {
    expect(() => parseBaseUrl("p", baseUrl)).toThrow(new TypeError(`provider "p": ${reason}`));
  });
});
