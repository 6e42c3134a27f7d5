import { describe, expect, it } from "vitest";
import { WindowLimits } from "./window-limits.js";

const limits = (windowSeconds = 60) =>
  new WindowLimits({
    windowSeconds,
    keyPrefix: `test-${Math.random()}`,
    onStoreFailure: (error) => {
      throw error;
    },
  });

describe("WindowLimits in memory", () => {
  it("takes every charge or none: a refusal leaves the other counters as they were", async () => {
    const windows = limits();
    const a = { key: "a", limit: 10, cost: 4 };
    const b = { key: "b", limit: 5, cost: 4 };
    expect((await windows.take([a, b])).admitted).toBe(true);
    const refused = await windows.take([a, b]);
    expect(refused).toMatchObject({ admitted: false, refused: b });
    expect(refused.admitted === false && refused.retryAfterMs).toBeGreaterThan(59_000);
    expect((await windows.usage("a")).used).toBe(4);
    expect((await windows.usage("b")).used).toBe(4);
  });

  it("counts a charge exactly up to its limit", async () => {
    const windows = limits();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await windows.take([{ key: "k", limit: 3, cost: 1 }])).admitted);
    expect(outcomes).toEqual([true, true, true, false, false]);
    expect((await windows.usage("k")).used).toBe(3);
  });

  it("gives units back within the window, and drops a give-back whose window has ended", async () => {
    const windows = limits(1);
    const outcome = await windows.take([{ key: "t", limit: 100, cost: 60 }]);
    if (!outcome.admitted) throw new Error("refused");
    await windows.giveBack(outcome.taken[0]!, 50);
    expect((await windows.usage("t")).used).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await windows.giveBack(outcome.taken[0]!, 10);
    // No credit carried into the next window.
    expect((await windows.usage("t")).used).toBe(0);
    const next = await windows.take([{ key: "t", limit: 100, cost: 100 }]);
    expect(next.admitted).toBe(true);
    expect((await windows.usage("t")).used).toBe(100);
  });
});
