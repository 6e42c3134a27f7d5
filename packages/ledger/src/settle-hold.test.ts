// settleHold answers the available balance a settlement left on the hold's
// account — read inside the settling statement on the fast path (alone or
// batched, still one statement), in the settling transaction otherwise — and
// writeReadingAvailable reads it beside a write that moves no money.
import { type Database, openPostgres } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHold } from "./create-hold.js";
import { getBalance } from "./get-balance.js";
import { settleHold } from "./resolve-hold.js";
import { expectReconciled, newDeveloper, newUser, uniqueId, usageHold, usageSplit } from "./testing/index.js";
import { writeReadingAvailable } from "./write-reading-available.js";

let db: Database;
let owned: Database | undefined;
/** The Database the code under test uses, recording every statement it is sent. */
let spied: Database;
const statements: string[] = [];

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.db;
  owned = test.databaseUrl ? openPostgres({ url: test.databaseUrl, poolMax: 10 }) : undefined;
  const target = owned ?? db;
  spied = {
    kind: target.kind,
    query: (sql, params) => {
      statements.push(sql);
      return target.query(sql, params);
    },
    exec: (sql) => target.exec(sql),
    transaction: (work) => target.transaction(work),
    close: async () => {},
  };
  await db.query("CREATE TABLE settle_companion (id text PRIMARY KEY)");
});
beforeEach(() => {
  statements.length = 0;
});
afterAll(async () => {
  await expectReconciled(db);
  await owned?.close();
  await db.close();
});

const HOLD = 1_000n;
const companion = () => ({ sql: "INSERT INTO settle_companion (id) VALUES ($1)", params: [uniqueId("usage")] });
const available = async (account: string) => (await getBalance(db, account))!.available;

describe("settleHold", () => {
  it("answers the wallet a settlement left, from the one statement that settles it", async () => {
    const [developer, user] = await Promise.all([newDeveloper(db), newUser(db, 5_000n)]);
    const [settling, other] = [usageHold(user, HOLD), usageHold(user, 700n)];
    for (const hold of [settling, other]) expect((await createHold(db, hold)).result).toBe("created");
    statements.length = 0;

    const settled = await settleHold(
      spied,
      { kind: "post_pending", id: uniqueId("settle"), pendingId: settling.id, amount: 600n },
      usageSplit(developer, 600n),
      { companion: companion() },
    );

    expect(settled.results.map((r) => r.result)).toEqual(["created", "created", "created"]);
    expect(statements).toHaveLength(1);
    // 5,000 − 600 posted − 700 still held by the other request.
    expect(settled.available).toBe(3_700n);
    expect(await available(user)).toBe(3_700n);
  });

  it("answers each account its own balance when concurrent settlements share a statement", async () => {
    const developer = await newDeveloper(db);
    const users = await Promise.all(Array.from({ length: 16 }, (_, i) => newUser(db, HOLD + BigInt(i))));
    const holds = users.map((user) => usageHold(user, HOLD));
    for (const hold of holds) expect((await createHold(db, hold)).result).toBe("created");
    statements.length = 0;

    const settled = await Promise.all(
      holds.map((hold, i) =>
        settleHold(
          spied,
          { kind: "post_pending", id: uniqueId("settle"), pendingId: hold.id, amount: 600n - BigInt(i) },
          usageSplit(developer, 600n - BigInt(i)),
          { companion: companion() },
        ),
      ),
    );

    expect(statements.filter((sql) => sql.includes("ledger_resolve_holds(")).length).toBeGreaterThan(0);
    expect(statements.length).toBeLessThan(holds.length);
    for (const [i, user] of users.entries()) {
      expect(settled[i]!.available).toBe(400n + 2n * BigInt(i));
      expect(await available(user)).toBe(settled[i]!.available);
    }
  });

  it("reads the balance in the settling transaction for a shape the fast path does not take", async () => {
    const [developer, user] = await Promise.all([newDeveloper(db), newUser(db, 3_000n)]);
    const [first, second] = [usageHold(user, HOLD), usageHold(user, HOLD)];
    for (const hold of [first, second]) expect((await createHold(db, hold)).result).toBe("created");

    const settled = await settleHold(
      db,
      { kind: "post_pending", id: uniqueId("settle"), pendingId: first.id, amount: 250n },
      [...usageSplit(developer, 250n), { kind: "void_pending", id: uniqueId("void"), pendingId: second.id }],
      { companion: companion() },
    );

    expect(settled.results.every((r) => r.result === "created")).toBe(true);
    expect(settled.available).toBe(2_750n);
    expect(await available(user)).toBe(2_750n);
  });

  it("answers null, and writes nothing, when the settlement is refused", async () => {
    const [developer, user] = await Promise.all([newDeveloper(db), newUser(db, HOLD)]);
    const hold = usageHold(user, HOLD);
    expect((await createHold(db, hold)).result).toBe("created");
    const post = (id: string) =>
      settleHold(db, { kind: "post_pending", id, pendingId: hold.id, amount: 100n }, usageSplit(developer, 100n), {
        companion: companion(),
      });
    expect((await post(uniqueId("settle"))).available).toBe(900n);

    const again = await post(uniqueId("settle"));
    expect(again.results[0]!.result).toBe("already_posted");
    expect(again.available).toBeNull();
    expect(await available(user)).toBe(900n);
  });
});

describe("writeReadingAvailable", () => {
  it("writes and reads the account's available balance in one statement", async () => {
    const user = await newUser(db, 1_234n);
    expect((await createHold(db, usageHold(user, 200n))).result).toBe("created");
    const write = companion();

    expect(await writeReadingAvailable(spied, write, user)).toBe(1_034n);
    expect(statements).toHaveLength(1);
    const { rows } = await db.query("SELECT 1 FROM settle_companion WHERE id = $1", write.params);
    expect(rows).toHaveLength(1);
    expect(await writeReadingAvailable(db, companion(), "user:nobody")).toBeNull();
  });
});
