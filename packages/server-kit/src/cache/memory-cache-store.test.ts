import { describe, expect, it } from "vitest";
import { createMemoryCacheStore } from "./memory-cache-store.js";

const limits = { maxEntryBytes: 100, maxTotalBytes: 1000, maxEntries: 5 };

describe("memory cache store", () => {
  it("answers what was stored until its TTL, then nothing", async () => {
    const clock = { ms: 1_000, now: () => clock.ms };
    const store = createMemoryCacheStore(limits, clock);
    expect(await store.set("k", "value", 2)).toBe(true);
    expect(await store.get("k")).toBe("value");
    clock.ms += 1999;
    expect(await store.get("k")).toBe("value");
    clock.ms += 2;
    expect(await store.get("k")).toBeUndefined();
  });

  it("leaves out a value larger than one entry may be", async () => {
    const store = createMemoryCacheStore(limits);
    expect(await store.set("big", "x".repeat(101), 60)).toBe(false);
    expect(await store.get("big")).toBeUndefined();
    // Bytes, not characters: 34 three-byte characters are 102 bytes.
    expect(await store.set("wide", "€".repeat(34), 60)).toBe(false);
    expect(await store.set("fits", "x".repeat(100), 60)).toBe(true);
  });

  it("keeps at most maxEntries, evicting the least recently used", async () => {
    const store = createMemoryCacheStore(limits);
    for (let i = 0; i < 5; i++) await store.set(`k${i}`, "v", 60);
    await store.get("k0"); // k1 is now the least recently used
    await store.set("k5", "v", 60);
    expect(await store.get("k1")).toBeUndefined();
    for (const key of ["k0", "k2", "k3", "k4", "k5"]) expect(await store.get(key)).toBe("v");
  });

  it("keeps keys and values within maxTotalBytes", async () => {
    const store = createMemoryCacheStore({ maxEntryBytes: 400, maxTotalBytes: 1000, maxEntries: 100 });
    // Each entry: a 2-byte key + 398 bytes = 400; only two fit in 1000.
    for (const key of ["k1", "k2", "k3"]) await store.set(key, "y".repeat(398), 60);
    expect(await store.get("k1")).toBeUndefined();
    expect(await store.get("k2")).toBeDefined();
    expect(await store.get("k3")).toBeDefined();
  });
});
