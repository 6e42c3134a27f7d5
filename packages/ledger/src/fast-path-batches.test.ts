// Concurrent holds and settlements share statements (migration 0012, the
// fast-path queues): each must still get exactly the answer it would get
// alone, and a declined item must not take its batch's other items with it.
import { type Database, openPostgres } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHold } from "./create-hold.js";
import { getBalance } from "./get-balance.js";
import { resolveHold } from "./resolve-hold.js";
import { expectReconciled, newDeveloper, newUser, uniqueId, usageHold, usageSplit } from "./testing/index.js";
import type { PendingTransferInput } from "./transfer-input.js";

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
  await db.query("CREATE TABLE fast_path_companion (id text PRIMARY KEY)");
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

const sent = (fn: string) => statements.filter((sql) => sql.includes(`${fn}(`)).length;

describe("batched fast path", () => {
  it("decides each of many concurrent holds as if alone, in fewer statements", async () => {
    const funded = await Promise.all(Array.from({ length: 24 }, () => newUser(db, HOLD)));
    const broke = await Promise.all(Array.from({ length: 8 }, () => newUser(db, HOLD - 1n)));
    const retried = usageHold(funded[0]!, HOLD);
    expect((await createHold(spied, retried)).result).toBe("created");
    statements.length = 0;

    const results = await Promise.all([
      ...funded.slice(1).map((user) => createHold(spied, usageHold(user, HOLD))),
      ...broke.map((user) => createHold(spied, usageHold(user, HOLD))),
      createHold(spied, retried),
    ]);

    expect(results.map((r) => r.result)).toEqual([
      ...Array<string>(23).fill("created"),
      ...Array<string>(8).fill("exceeds_credits"),
      "exists",
    ]);
    expect(sent("ledger_create_holds")).toBeGreaterThan(0);
    expect(sent("ledger_create_holds") + sent("ledger_create_hold")).toBeLessThan(results.length);
    for (const user of funded) expect(await getBalance(db, user)).toMatchObject({ available: 0n });
    for (const user of broke) expect(await getBalance(db, user)).toMatchObject({ debitsPending: 0n });
    await expectReconciled(db);
  });

  it("settles many holds together with their companion rows; a declined one is decided alone", async () => {
    const developer = await newDeveloper(db);
    const users = await Promise.all(Array.from({ length: 20 }, () => newUser(db, HOLD)));
    const holds = users.map((user) => usageHold(user, HOLD));
    for (const h of holds) expect((await createHold(db, h)).result).toBe("created");
    const voided = holds[17]!;
    await resolveHold(db, { kind: "void_pending", id: uniqueId("void"), pendingId: voided.id }, []);

    const companions = holds.map(() => uniqueId("usage"));
    const settle = (h: PendingTransferInput, i: number) =>
      resolveHold(
        spied,
        { kind: "post_pending", id: uniqueId("settle"), pendingId: h.id, amount: 600n, metadata: { i } },
        usageSplit(developer, 600n),
        {
          companion: {
            sql: "INSERT INTO fast_path_companion (id) SELECT $1 WHERE $2::int >= 0",
            params: [companions[i], i],
          },
        },
      );
    statements.length = 0;
    const first = await Promise.all(holds.slice(0, 10).map((h, i) => settle(h, i)));
    expect(sent("ledger_resolve_holds")).toBeGreaterThan(0);
    expect(sent("ledger_resolve_holds") + sent("ledger_resolve_hold")).toBeLessThan(10);
    // The batch holding the voided hold is declined as a whole; each of its settlements is then decided alone.
    const second = await Promise.all(holds.slice(10).map((h, i) => settle(h, i + 10)));
    const results = [...first, ...second];

    results.forEach((result, i) =>
      expect(result.map((r) => r.result)).toEqual(
        i === 17 ? ["already_voided", "linked_event_failed", "linked_event_failed"] : ["created", "created", "created"],
      ),
    );
    const { rows } = await db.query<{ id: string }>("SELECT id FROM fast_path_companion WHERE id = ANY($1::text[])", [
      companions,
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual(companions.filter((_, i) => i !== 17).sort());
    for (const [i, user] of users.entries()) {
      expect(await getBalance(db, user)).toMatchObject({ debitsPosted: i === 17 ? 0n : 600n, debitsPending: 0n });
    }
    expect(await getBalance(db, developer)).toMatchObject({ creditsPosted: 19n * 300n });
    const settled = results[3]!.map((r) => (r.result === "created" ? r.transfer : undefined));
    expect(settled[0]).toMatchObject({ kind: "post_pending", amount: 600n, metadata: { i: 3 }, code: "usage_hold" });
    expect(settled[1]).toMatchObject({ metadata: { part: "cost" } });
    expect(settled[1]!.seq).toBeGreaterThan(settled[0]!.seq);
    expect(settled[2]!.seq).toBeGreaterThan(settled[1]!.seq);
    await expectReconciled(db);
  });
});
