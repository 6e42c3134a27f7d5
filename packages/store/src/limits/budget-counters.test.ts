import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCounterSpans, reserveBudgets, type SpanLimit } from "./budget-counters.js";

// A rolling window at an hour's turn: one request still counts in the old
// hour, the other already in the new one. Each locks a different current
// bucket, so only the counter's own lock keeps them from both fitting.

const HOUR_MS = 3_600_000;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.db.close());

function reserveAt(counterKey: string, currentHour: Date, usageEventId: string) {
  const limit: SpanLimit = {
    counterKey,
    from: new Date(currentHour.getTime() - 2 * HOUR_MS),
    to: currentHour,
    maxUnits: 100n,
    maxTokens: undefined,
  };
  return reserveBudgets(database.db, {
    usageEventId,
    buckets: [{ counterKey, bucketStart: currentHour }],
    limits: [limit],
    units: 100n,
    tokens: 0,
    expiresAt: new Date(Date.now() + 60_000),
  });
}

describe("reserveBudgets on a rolling window", () => {
  it("lets exactly one of two requests either side of an hour's turn take the last of the budget", async () => {
    const turn = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
    const before = new Date(turn.getTime() - HOUR_MS);
    for (let round = 0; round < 20; round++) {
      const key = `app_turn|*|usr_${round}|hour`;
      const results = await Promise.all([
        reserveAt(key, before, `use_turn_${round}_a`),
        reserveAt(key, turn, `use_turn_${round}_b`),
      ]);
      expect(results.filter((result) => result.reserved)).toHaveLength(1);
      const [usage] = await readCounterSpans(database.db, [{ counterKey: key, from: before, to: turn }]);
      expect(usage!.heldUnits).toBe(100n);
    }
  });
});
