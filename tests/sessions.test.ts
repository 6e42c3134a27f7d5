import { hashToken } from "@modelfaucet/crypto";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApi } from "./helpers/services.js";

let database: TestDatabase;
let api: FastifyInstance;
const SIGNED_APP = "app_signed_test";
const SECRET = "mf_app_sk_test_secret_for_signed_app_0123456789";

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.query(
    "INSERT INTO apps (id, developer_id, name, session_mode) VALUES ($1, 'dev_demo', 'Signed app', 'signed')",
    [SIGNED_APP],
  );
  await db.query(
    `INSERT INTO app_features (app_id, feature_key, display_name, policy, pricing)
     SELECT $1, feature_key, display_name, policy, pricing FROM app_features WHERE app_id = 'app_demo'`,
    [SIGNED_APP],
  );
  await db.query(
    "INSERT INTO app_secret_keys (id, app_id, key_hash, key_prefix) VALUES ('ask_t1', $1, $2, 'mf_app_sk_test')",
    [SIGNED_APP, hashToken(SECRET)],
  );
  api = await testApi(db);
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

const mint = (payload: unknown, headers: Record<string, string> = {}) =>
  api.inject({ method: "POST", url: "/v1/sessions", payload: payload as object, headers });

describe("POST /v1/sessions", () => {
  it("mints a session for a public app with the contract's fields", async () => {
    const response = await mint({
      public_app_id: "app_demo",
      external_user_id: "alice@example.com",
      feature_key: "chat",
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      session_token: expect.stringMatching(/^mf_sess_[A-Za-z0-9_-]{43}$/),
      expires_in: 3600,
      gateway_base_url: expect.stringMatching(/^http:\/\/.+\/v1$/),
      available_modes: expect.arrayContaining(["platform"]),
      wallet_balance_usd: "0.00000000",
    });
  });

  it("stores neither the token nor the external user id in clear", async () => {
    const { session_token } = (await mint({ public_app_id: "app_demo", external_user_id: "bob@example.com" })).json();
    const { rows } = await database.db.query<{ token_hash: string; external_user_hmac: string }>(
      `SELECT s.token_hash, u.external_user_hmac FROM sessions s JOIN end_users u ON u.id = s.end_user_id
       WHERE s.token_hash = $1`,
      [hashToken(session_token)],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.external_user_hmac).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify((await database.db.query("SELECT * FROM sessions, end_users")).rows);
    expect(dump).not.toContain("bob@example.com");
    expect(dump).not.toContain(session_token);
  });

  it("maps one external user to one end user per app", async () => {
    const count = async () => (await database.db.query("SELECT count(*)::int AS n FROM end_users")).rows[0];
    const before = (await count()) as { n: number };
    for (let i = 0; i < 3; i++) {
      expect((await mint({ public_app_id: "app_demo", external_user_id: "carol" })).statusCode).toBe(200);
    }
    expect(await count()).toEqual({ n: before.n + 1 });
  });

  it("refuses a signed app's session without its secret key, and accepts it with one", async () => {
    const payload = { public_app_id: SIGNED_APP, external_user_id: "dave" };
    const bare = await mint(payload);
    expect(bare.statusCode).toBe(403);
    expect(bare.json().error.code).toBe("forbidden");
    const wrong = await mint(payload, { authorization: "Bearer mf_app_sk_wrong" });
    expect(wrong.statusCode).toBe(403);
    const signed = await mint(payload, { authorization: `Bearer ${SECRET}` });
    expect(signed.statusCode).toBe(200);
  });

  it("refuses a signed app's session after its key is revoked", async () => {
    await database.db.query("UPDATE app_secret_keys SET revoked_at = now() WHERE id = 'ask_t1'");
    const response = await mint(
      { public_app_id: SIGNED_APP, external_user_id: "erin" },
      { authorization: `Bearer ${SECRET}` },
    );
    expect(response.statusCode).toBe(403);
  });

  it.each([
    [{ public_app_id: "app_nope", external_user_id: "x" }, 404, "invalid_app"],
    [{ public_app_id: "app_demo", external_user_id: "x", feature_key: "nope" }, 404, "feature_not_found"],
    [{ public_app_id: "app_demo" }, 400, "invalid_request"],
    [{ public_app_id: 42, external_user_id: "x" }, 400, "invalid_request"],
    [{ public_app_id: "app_demo", external_user_id: "" }, 400, "invalid_request"],
    [{ public_app_id: "app_demo", external_user_id: "x", metadata: { big: "y".repeat(5000) } }, 400, "invalid_request"],
  ])("answers %j with %i %s", async (payload, status, code) => {
    const response = await mint(payload);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
  });

  it("accepts unicode user ids", async () => {
    expect((await mint({ public_app_id: "app_demo", external_user_id: "ユーザー🙂" })).statusCode).toBe(200);
  });

  it("refuses sessions of an archived app at once", async () => {
    await database.db.query("UPDATE apps SET status = 'archived', archived_at = now() WHERE id = $1", [SIGNED_APP]);
    const response = await mint({ public_app_id: SIGNED_APP, external_user_id: "x" });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("invalid_app");
  });

  it("keeps an end user's wallet across a master key rotation", async () => {
    const keyA = "a1".repeat(32);
    const keyB = "b2".repeat(32);
    const walletOf = async (env: Record<string, string>) => {
      const rotatedApi = await testApi(database.db, env);
      try {
        const minted = await rotatedApi.inject({
          method: "POST",
          url: "/v1/sessions",
          payload: { public_app_id: "app_demo", external_user_id: "rotating-user" },
        });
        const wallet = await rotatedApi.inject({
          url: "/v1/user/wallet",
          headers: { authorization: `Bearer ${minted.json().session_token}` },
        });
        return wallet.json().wallet_id as string;
      } finally {
        await rotatedApi.close();
      }
    };
    const before = await walletOf({ SECRET_ENCRYPTION_KEY: keyA });
    expect(await walletOf({ SECRET_ENCRYPTION_KEY: keyB, SECRET_ENCRYPTION_KEY_PREVIOUS: keyA })).toBe(before);
    // Moved to the new key: it no longer needs the old one.
    expect(await walletOf({ SECRET_ENCRYPTION_KEY: keyB })).toBe(before);
  });
});
