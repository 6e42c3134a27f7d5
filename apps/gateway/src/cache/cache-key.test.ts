import type { ChatRequest } from "@modelfaucet/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizedRequest, responseCacheKey, type CacheKeyInput } from "./cache-key.js";
import { canonicalJson } from "@modelfaucet/core";

const base: CacheKeyInput = {
  appId: "app_1",
  featureKey: "reply",
  endUserId: "user_1",
  modelId: "mock-small",
  maxOutputTokens: 1024,
  request: { model: "mock-small", messages: [{ role: "user", content: "Hi" }], temperature: 0 },
};
const keyWith = (change: Partial<CacheKeyInput>, request: Partial<ChatRequest> = {}) =>
  responseCacheKey({ ...base, ...change, request: { ...base.request, ...request } as ChatRequest });

describe("response cache key", () => {
  it("is a SHA-256 in hex", () => {
    expect(responseCacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ignores how the answer is delivered and labels that do not change it", () => {
    const key = responseCacheKey(base);
    expect(keyWith({}, { stream: true, stream_options: { include_usage: true } })).toBe(key);
    expect(keyWith({}, { metadata: { feature_key: "reply", trace: "x" }, user: "u-9", store: true })).toBe(key);
    expect(keyWith({}, { service_tier: "flex", prompt_cache_key: "k", safety_identifier: "s" })).toBe(key);
    // A top-level null is the parameter's default, as absent.
    expect(keyWith({}, { seed: null, tools: null })).toBe(key);
  });

  it("keys on the model and output limit the request resolved to, not how it named them", () => {
    const key = responseCacheKey(base);
    expect(keyWith({}, { model: "auto:reply" })).toBe(key);
    expect(keyWith({}, { max_tokens: 1024 })).toBe(key);
    expect(keyWith({ maxOutputTokens: 512 }, { max_completion_tokens: 512 })).not.toBe(key);
    expect(keyWith({ modelId: "mock-large" })).not.toBe(key);
  });

  it("changes with every generation parameter, message, tool and response format", () => {
    const key = responseCacheKey(base);
    const variants: Partial<ChatRequest>[] = [
      { temperature: 0.5 },
      { top_p: 0.9 },
      { seed: 7 },
      { stop: ["\n"] },
      { messages: [{ role: "user", content: "Hi!" }] },
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
      },
      { tools: [{ type: "function", function: { name: "f", parameters: {} } }] },
      { tool_choice: "none" },
      { response_format: { type: "json_object" } },
      { some_future_parameter: true },
    ];
    const keys = variants.map((variant) => keyWith({}, variant));
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
  });

  it("is never shared across apps or features, nor across users unless the feature shares it", () => {
    const key = responseCacheKey(base);
    expect(keyWith({ appId: "app_2" })).not.toBe(key);
    expect(keyWith({ featureKey: "other" })).not.toBe(key);
    expect(keyWith({ endUserId: "user_2" })).not.toBe(key);
    expect(keyWith({ endUserId: null })).not.toBe(key);
    expect(keyWith({ endUserId: null }, {})).toBe(keyWith({ endUserId: null }, { user: "someone else" }));
  });

  it("does not depend on the order of object keys, at any depth", () => {
    const a = { model: "m", messages: [{ role: "user", content: "x", name: "n" }], temperature: 1 };
    const b = { temperature: 1, messages: [{ name: "n", content: "x", role: "user" }], model: "m" };
    expect(keyWith({}, a as Partial<ChatRequest>)).toBe(keyWith({}, b as Partial<ChatRequest>));
  });

  it("normalizes to the request's fields plus the resolved model and limit", () => {
    expect(normalizedRequest(base)).toEqual({
      messages: [{ role: "user", content: "Hi" }],
      temperature: 0,
      model: "mock-small",
      max_output_tokens: 1024,
    });
  });
});

describe("canonicalJson", () => {
  it("round-trips any JSON value and ignores key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        const reversed = JSON.parse(JSON.stringify(value), (_key, field: unknown) =>
          field && typeof field === "object" && !Array.isArray(field)
            ? Object.fromEntries(Object.entries(field).reverse())
            : field,
        );
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });
});
