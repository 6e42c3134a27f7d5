// The registry and the database agree: the platform accounts the migrations
// create, the ids their CHECK accepts, the codes it stores, and every account
// id or code a migration spells out.
import { bundledMigrations, type Database } from "@modelfaucet/db";
import { createTestDatabase } from "@modelfaucet/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_KINDS, PLATFORM_ACCOUNT_OF_KIND } from "../accounts.js";
import { createTransfers } from "../create-transfers.js";
import { ensureAccount } from "../ensure-account.js";
import { expectReconciled, uniqueId } from "../testing/index.js";
import { accountIds, PLATFORM_ACCOUNTS } from "./account-ids.js";
import { TRANSFER_CODES } from "./transfer-codes.js";

let db: Database;
beforeAll(async () => {
  db = (await createTestDatabase()).db;
});
afterAll(async () => {
  await expectReconciled(db);
  await db.close();
});

/** Every single-quoted SQL literal of the migrations that matches `pattern` (comments left out). */
function migrationLiterals(pattern: RegExp): string[] {
  const literals = bundledMigrations().flatMap(({ sql }) =>
    [...sql.replace(/--[^\n]*/g, "").matchAll(/'([^']*)'/g)].map((match) => match[1]!),
  );
  return [...new Set(literals.filter((literal) => pattern.test(literal)))];
}

describe("ledger registry", () => {
  it("declares exactly the platform accounts the migrations create, each with its kind", async () => {
    const { rows } = await db.query<{ id: string; kind: string }>(
      "SELECT id, kind FROM ledger_accounts WHERE kind NOT IN ('end_user', 'developer') ORDER BY id",
    );
    const declared = Object.entries(PLATFORM_ACCOUNT_OF_KIND).map(([kind, id]) => ({ id, kind }));
    expect(rows).toEqual(declared.sort((a, b) => a.id.localeCompare(b.id)));
    expect(new Set(Object.values(PLATFORM_ACCOUNT_OF_KIND))).toEqual(new Set(Object.values(PLATFORM_ACCOUNTS)));
  });

  it("names only declared platform accounts in the migrations", () => {
    const platformIds = migrationLiterals(/^platform:/);
    expect(platformIds.length).toBeGreaterThan(0);
    for (const id of platformIds) {
      // `'platform:' || kind` builds an id from its kind: the bare prefix is the only other literal.
      if (id !== "platform:") expect(Object.values(PLATFORM_ACCOUNTS)).toContain(id);
    }
  });

  it("declares exactly the account kinds the database's CHECK allows", async () => {
    const { rows } = await db.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conrelid = 'ledger_accounts'::regclass AND contype = 'c'`,
    );
    const kindCheck = rows.map((row) => row.definition).find((definition) => /\(kind = ANY/.test(definition));
    const allowed = [...(kindCheck ?? "").matchAll(/'([a-z_]+)'/g)].map((match) => match[1]);
    expect(new Set(allowed)).toEqual(new Set(ACCOUNT_KINDS));
  });

  it("builds owner ids the database accepts for their kind, and a key budget never collides with a developer", async () => {
    const endUserId = uniqueId("usr");
    const developerId = uniqueId("dev");
    const keyId = uniqueId("dpk");
    const accounts = [
      { id: accountIds.user(endUserId), kind: "end_user", ownerId: endUserId },
      { id: accountIds.developer(developerId), kind: "developer", ownerId: developerId },
      { id: accountIds.keyBudget(keyId), kind: "developer", ownerId: developerId },
    ] as const;
    for (const account of accounts) expect(await ensureAccount(db, account)).toEqual({ result: "created" });
    expect(accountIds.keyBudget(keyId)).not.toBe(accountIds.developer(developerId));
    expect(() => accountIds.user("has space")).toThrow(RangeError);
    expect(() => accountIds.keyBudget(developerId)).toThrow(RangeError);
  });

  it("declares distinct codes, each of which the database stores", async () => {
    const codes = Object.values(TRANSFER_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    const endUserId = uniqueId("usr");
    const wallet = accountIds.user(endUserId);
    await ensureAccount(db, { id: wallet, kind: "end_user", ownerId: endUserId });
    const results = await createTransfers(
      db,
      codes.map((code) => ({
        kind: "posted" as const,
        id: uniqueId(`code_${code}`),
        debitAccountId: PLATFORM_ACCOUNTS.externalFunding,
        creditAccountId: wallet,
        amount: 1n,
        code,
      })),
    );
    expect(results.map((result) => result.result)).toEqual(codes.map(() => "created"));
  });
});
