import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepExpiredSessions } from "./sweep-expired-sessions.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.query("INSERT INTO end_users (id, app_id, external_user_hmac) VALUES ('usr_sweep', 'app_demo', 'h')");
  const insert = (id: string, createdAgo: string, expiresAgo: string) =>
    db.query(
      `INSERT INTO sessions (id, token_hash, app_id, end_user_id, created_at, expires_at)
       VALUES ($1, $1, 'app_demo', 'usr_sweep', now() - $2::interval, now() - $3::interval)`,
      [id, createdAgo, expiresAgo],
    );
  await insert("ses_long_gone", "3 days", "2 days");
  await insert("ses_just_expired", "2 hours", "1 hour");
  await insert("ses_live", "1 minute", "-1 hour");
});
afterAll(() => database.db.close());

describe("sweepExpiredSessions", () => {
  it("deletes sessions expired for over a day, keeps recent and live ones, and is safe to run twice at once", async () => {
    const [first, second] = await Promise.all([
      sweepExpiredSessions(database.db, 100),
      sweepExpiredSessions(database.db, 100),
    ]);
    expect(first + second).toBe(1);
    const { rows } = await database.db.query<{ id: string }>(
      "SELECT id FROM sessions WHERE end_user_id = 'usr_sweep' ORDER BY id",
    );
    expect(rows.map((row) => row.id)).toEqual(["ses_just_expired", "ses_live"]);
  });
});
