// `signed` apps mint sessions for their backend only: with the app's secret
// key as bearer, or with an HMAC assertion of the user id made with it.
import { MAX_USER_ASSERTION_LIFETIME_SECONDS, signUserAssertion } from "@modelfaucet/crypto";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_ADMIN_TOKEN } from "./helpers/revenue-stack.js";
import { testApi } from "./helpers/services.js";

let database: TestDatabase;
let api: FastifyInstance;
const asDeveloperAdmin = { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` };

interface SignedApp {
  appId: string;
  secretKey: string;
  keyId: string;
}

async function signedApp(): Promise<SignedApp> {
  const created = await api.inject({
    method: "POST",
    url: "/v1/developer/apps",
    headers: asDeveloperAdmin,
    payload: { developer_id: "dev_demo", name: "Signed" },
  });
  const appId = created.json<{ public_app_id: string }>().public_app_id;
  const key = await api.inject({
    method: "POST",
    url: `/v1/developer/apps/${appId}/secret-keys`,
    headers: asDeveloperAdmin,
  });
  const { secret_key: secretKey, id: keyId } = key.json<{ secret_key: string; id: string }>();
  return { appId, secretKey, keyId };
}

let app: SignedApp;
let other: SignedApp;
beforeAll(async () => {
  database = await createTestDatabase();
  api = await testApi(database.db, { DEVELOPER_ADMIN_TOKEN });
  app = await signedApp();
  other = await signedApp();
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

const mint = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.inject({ method: "POST", url: "/v1/sessions", payload, headers });

/** A request for `user` of `target` carrying an assertion signed with `secret` for (`signedApp`, `signedUser`). */
function withAssertion(
  target: SignedApp,
  user: string,
  signed: { secret?: string; appId?: string; user?: string; expiresAt?: number } = {},
) {
  const expiresAt = signed.expiresAt ?? inSeconds(60);
  return {
    public_app_id: target.appId,
    external_user_id: user,
    assertion_expires_at: expiresAt,
    user_assertion: signUserAssertion(
      signed.secret ?? target.secretKey,
      signed.appId ?? target.appId,
      signed.user ?? user,
      expiresAt,
    ),
  };
}

describe("user assertions for signed apps", () => {
  it("a valid assertion mints a session for that user", async () => {
    const response = await mint(withAssertion(app, "erin@example.com"));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ session_token: expect.stringMatching(/^mf_sess_/) });
  });

  it("the public app id alone cannot mint for a signed app", async () => {
    const response = await mint({ public_app_id: app.appId, external_user_id: "erin@example.com" });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  const refusals: Array<[string, () => Record<string, unknown>]> = [
    ["made for another user id", () => withAssertion(app, "mallory", { user: "erin@example.com" })],
    ["made for another app", () => withAssertion(app, "erin@example.com", { appId: other.appId })],
    ["made with another app's secret key", () => withAssertion(app, "erin@example.com", { secret: other.secretKey })],
    ["expired", () => withAssertion(app, "erin@example.com", { expiresAt: inSeconds(-1) })],
    [
      "valid for longer than allowed",
      () => withAssertion(app, "erin@example.com", { expiresAt: inSeconds(MAX_USER_ASSERTION_LIFETIME_SECONDS + 60) }),
    ],
    [
      "tampered with (signature)",
      () => {
        const body = withAssertion(app, "erin@example.com");
        const last = body.user_assertion.at(-1) === "0" ? "1" : "0";
        return { ...body, user_assertion: body.user_assertion.slice(0, -1) + last };
      },
    ],
    [
      "tampered with (expiry pushed later)",
      () => {
        const body = withAssertion(app, "erin@example.com");
        return { ...body, assertion_expires_at: body.assertion_expires_at + 30 };
      },
    ],
  ];
  it.each(refusals)("an assertion %s is refused with 403 forbidden", async (_name, body) => {
    const response = await mint(body());
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("a malformed assertion is a 400, not a 500", async () => {
    for (const body of [
      { ...withAssertion(app, "erin"), user_assertion: "not-hex" },
      { ...withAssertion(app, "erin"), assertion_expires_at: "soon" },
      { public_app_id: app.appId, external_user_id: "erin", user_assertion: "a".repeat(64) },
    ]) {
      const response = await mint(body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });

  it("a revoked key's assertions stop working, and its stored secret is erased", async () => {
    const rotated = await signedApp();
    expect((await mint(withAssertion(rotated, "frank"))).statusCode).toBe(200);
    const revoked = await api.inject({
      method: "DELETE",
      url: `/v1/developer/apps/${rotated.appId}/secret-keys/${rotated.keyId}`,
      headers: asDeveloperAdmin,
    });
    expect(revoked.statusCode).toBe(200);
    expect((await mint(withAssertion(rotated, "frank"))).statusCode).toBe(403);
    const { rows } = await database.db.query(
      "SELECT secret_ciphertext FROM app_secret_keys WHERE id = $1 AND secret_ciphertext IS NULL",
      [rotated.keyId],
    );
    expect(rows).toHaveLength(1);
  });

  it("stores the secret key only hashed and encrypted, never in clear", async () => {
    const { rows } = await database.db.query("SELECT * FROM app_secret_keys WHERE app_id = $1", [app.appId]);
    const dump = JSON.stringify(rows, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString("latin1") : value,
    );
    expect(dump).not.toContain(app.secretKey);
    expect(dump).not.toContain(app.secretKey.slice("mf_app_sk_".length));
  });
});
