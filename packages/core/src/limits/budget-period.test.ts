import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketStart, budgetWindow, nextBucketStart, type BudgetGrain } from "./budget-period.js";

const HOUR_MS = 3_600_000;
// 1970 to 2200: leap years, the 2100 non-leap century year and every month length included.
const instant = fc.date({
  min: new Date(Date.UTC(1970, 0, 1)),
  max: new Date(Date.UTC(2200, 0, 1)),
  noInvalidDate: true,
});
const grain = fc.constantFrom<BudgetGrain>("hour", "day", "month");

const daysInMonth = (year: number, month: number) =>
  [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][
    month
  ]!;

describe("budget buckets", () => {
  it("put every instant in exactly one bucket: start ≤ t < next start", () => {
    fc.assert(
      fc.property(grain, instant, (g, at) => {
        const start = bucketStart(g, at);
        const next = nextBucketStart(g, start);
        expect(start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(next.getTime());
        // Buckets tile time: the next bucket starts where this one ends, and is its own start.
        expect(bucketStart(g, next).getTime()).toBe(next.getTime());
        expect(bucketStart(g, new Date(next.getTime() - 1)).getTime()).toBe(start.getTime());
      }),
    );
  });

  it("start on UTC boundaries and last an hour, a day, or the month's own length (leap years too)", () => {
    fc.assert(
      fc.property(grain, instant, (g, at) => {
        const start = bucketStart(g, at);
        const length = nextBucketStart(g, start).getTime() - start.getTime();
        expect(start.getTime() % HOUR_MS).toBe(0);
        if (g === "hour") expect(length).toBe(HOUR_MS);
        if (g !== "hour") expect(start.getUTCHours()).toBe(0);
        if (g === "day") expect(length).toBe(24 * HOUR_MS);
        if (g === "month") {
          expect(start.getUTCDate()).toBe(1);
          expect(length).toBe(daysInMonth(start.getUTCFullYear(), start.getUTCMonth()) * 24 * HOUR_MS);
        }
      }),
    );
  });

  it("know February's lengths", () => {
    const feb = (year: number) =>
      (nextBucketStart("month", new Date(Date.UTC(year, 1, 1))).getTime() - Date.UTC(year, 1, 1)) / (24 * HOUR_MS);
    expect([feb(2024), feb(2025), feb(2000), feb(2100)]).toEqual([29, 28, 29, 28]);
  });
});

describe("budget windows", () => {
  it("count a calendar period's current bucket and reset at its end", () => {
    fc.assert(
      fc.property(fc.constantFrom("day" as const, "month" as const), instant, (period, at) => {
        const window = budgetWindow({ period }, at);
        expect(window.from).toEqual(window.current);
        expect(window.current.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(window.resetsAt.getTime()).toBeGreaterThan(at.getTime());
        expect(window.resetsAt).toEqual(nextBucketStart(window.grain, window.current));
      }),
    );
  });

  it("count exactly window_hours whole hours, the current one included, each leaving when it is window_hours old", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 744 }), instant, (hours, at) => {
        const window = budgetWindow({ period: "rolling", window_hours: hours }, at);
        expect(window.grain).toBe("hour");
        expect((window.current.getTime() - window.from.getTime()) / HOUR_MS + 1).toBe(hours);
        expect(window.resetsAt.getTime()).toBe(window.from.getTime() + hours * HOUR_MS);
        expect(window.current).toEqual(bucketStart("hour", at));
        // An hour later the oldest hour has left and the new current hour has joined.
        const later = budgetWindow({ period: "rolling", window_hours: hours }, window.resetsAt);
        expect(later.from.getTime()).toBe(window.from.getTime() + HOUR_MS);
      }),
    );
  });
});
