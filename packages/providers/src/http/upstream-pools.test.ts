import { describe, expect, it } from "vitest";
import { UpstreamPools } from "./upstream-pools.js";

describe("UpstreamPools", () => {
  it("shares one pool per origin and bounds the number of origins", async () => {
    const pools = new UpstreamPools({ maxOrigins: 2 });
    const a = pools.get("http://127.0.0.1:1");
    expect(pools.get("http://127.0.0.1:1")).toBe(a);
    pools.get("http://127.0.0.1:2");
    pools.get("http://127.0.0.1:3");
    expect(pools.size).toBe(2);
    expect(pools.get("http://127.0.0.1:1")).not.toBe(a); // evicted, then recreated
    await pools.close();
    expect(() => pools.get("http://127.0.0.1:1")).toThrow(/closed/);
  });

  it("rejects invalid limits", () => {
    expect(() => new UpstreamPools({ connectTimeoutMs: 0 })).toThrow(/connectTimeoutMs/);
    expect(() => new UpstreamPools({ maxOrigins: 1.5 })).toThrow(/maxOrigins/);
  });
});
