// The fast path under real concurrency on PostgreSQL (TEST_DATABASE_URL): a
// pool of its own so statements truly overlap. On PGlite they serialize, and
// the same assertions must hold.
import { type Database, openPostgres } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHold } from "./create-hold.js";
import { expirePendingTransfers } from "./expire-pending-transfers.js";
import { getBalance } from "./get-balance.js";
import { resolveHold } from "./resolve-hold.js";
import { expectReconciled, newDeveloper, newUser, uniqueId, usageHold, usageSplit } from "./testing/index.js";

let db: Database;
let busy: Database;
beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.db;
  busy = test.databaseUrl ? openPostgres({ url: test.databaseUrl, poolMax: 25 }) : db;
  await db.query("CREATE TABLE fast_path_companion (id text PRIMARY KEY)");
});
afterAll(async () => {
  await expectReconciled(db);
  if (busy !== db) await busy.close();
  await db.close();
});

const HOLD = 1_000n;

describe("fast holds and settlements racing", () => {
  it("creates exactly as many holds as the balance covers", async () => {
    const user = await newUser(db, 5n * HOLD);
    const results = await Promise.all(Array.from({ length: 60 }, () => createHold(busy, usageHold(user, HOLD))));
    expect(countBy(results.map((r) => r.result))).toEqual({ created: 5, exceeds_credits: 55 });
    expect(await getBalance(db, user)).toMatchObject({ debitsPending: 5n * HOLD, available: 0n });
    await expectReconciled(db);
  });

  it("answers exists to every concurrent copy of one hold, and moves the money once", async () => {
    const user = await newUser(db, HOLD);
    const input = usageHold(user, HOLD);
    const results = await Promise.all(Array.from({ length: 30 }, () => createHold(busy, input)));
    expect(countBy(results.map((r) => r.result))).toEqual({ created: 1, exists: 29 });
    expect(await getBalance(db, user)).toMatchObject({ debitsPending: HOLD });
    await expectReconciled(db);
  });

  it("settles a hold once against racing settlements, releases and the sweeper; the usage row with it", async () => {
    const user = await newUser(db, HOLD);
    const developer = await newDeveloper(db);
    const h = usageHold(user, HOLD);
    await createHold(db, h, { now: new Date(Date.now() - 3_600_000) }); // already past its expiry
    const companions: string[] = [];
    const racers = Array.from({ length: 20 }, (_, i) => {
      if (i === 10) return expirePendingTransfers(busy, { now: new Date(), limit: 100 }).then(() => "sweeper");
      if (i % 3 === 0)
        return resolveHold(busy, { kind: "void_pending", id: uniqueId("void"), pendingId: h.id }, []).then(
          ([r]) => r!.result,
        );
      const companion = uniqueId("usage");
      companions.push(companion);
      return resolveHold(
        busy,
        { kind: "post_pending", id: uniqueId("settle"), pendingId: h.id, amount: 600n },
        usageSplit(developer, 600n),
        { companion: { sql: "INSERT INTO fast_path_companion (id) VALUES ($1)", params: [companion] } },
      ).then(([r]) => r!.result);
    });
    const counts = countBy((await Promise.all(racers)).filter((r) => r !== "sweeper"));
    const winners = (counts.created ?? 0) + (counts.already_expired === 19 ? 1 : 0);
    expect(winners).toBe(1);
    const { rows } = await db.query<{ id: string }>("SELECT id FROM fast_path_companion WHERE id = ANY($1::text[])", [
      companions,
    ]);
    // One usage row exactly when a settlement won, none for the refused ones.
    const settled = (await getBalance(db, user))!.debitsPosted === 600n;
    expect(rows.length).toBe(settled ? 1 : 0);
    expect(await getBalance(db, user)).toMatchObject({ debitsPending: 0n });
    await expectReconciled(db);
  });

  it("keeps every invariant with many users holding and settling at once", async () => {
    const developer = await newDeveloper(db);
    const users = await Promise.all(Array.from({ length: 16 }, () => newUser(db, 10n * HOLD)));
    await Promise.all(
      users.map(async (user) => {
        for (let i = 0; i < 8; i++) {
          const h = usageHold(user, HOLD);
          expect((await createHold(busy, h)).result).toBe("created");
          const results = await resolveHold(
            busy,
            { kind: "post_pending", id: uniqueId("settle"), pendingId: h.id, amount: 700n },
            usageSplit(developer, 700n),
          );
          expect(results.map((r) => r.result)).toEqual(["created", "created", "created"]);
        }
      }),
    );
    for (const user of users) {
      expect(await getBalance(db, user)).toMatchObject({ debitsPosted: 8n * 700n, debitsPending: 0n });
    }
    expect(await getBalance(db, developer)).toMatchObject({ creditsPosted: 16n * 8n * 350n });
    await expectReconciled(db);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
