import { randomBytes } from "node:crypto";
import { buildApi, type ProviderKeyCandidate } from "@modelfaucet/api";
import { rotateSecrets } from "@modelfaucet/cli";
import { createMasterKey, createSecretKeyring, hashToken, isSecretDecryptionError } from "@modelfaucet/crypto";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { captureLogger, testConfig } from "@modelfaucet/server-kit/testing";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProviderKeyOwner, loadDecryptedProviderKey } from "@modelfaucet/store";

const DEVELOPER_ADMIN_TOKEN = "test-developer-admin-token-0123456789";
const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);

// Every provider key this file stores: none may ever appear in a response, log line or error.
const KEYS = {
  alice: "sk-proj-ALICEsecret0123456789abcdefWXYZ",
  alice2: "sk-ant-api03-ALICEsecondKEY0123456789abcd",
  bob: "gsk_BOBsecret0123456789abcdefghij9876",
  dev: "sk-or-v1-DEVELOPERsecret0123456789abcdef",
  rejected: "sk-proj-REJECTEDbyValidator0123456789",
  invalid: "sk-proj-INVALIDbody0123456789abcdefgh",
  local: "sk-local-SELFHOSTEDvllm0123456789abcd",
};

let database: TestDatabase;
let api: FastifyInstance;
const logBatches: string[][] = [];
const transcript: string[] = [];
const validated: ProviderKeyCandidate[] = [];

/** A fake validation call: keys containing "REJECTED" fail, as an upstream 401 would. */
async function fakeValidator(candidate: ProviderKeyCandidate) {
  validated.push(candidate);
  return candidate.apiKey.includes("REJECTED")
    ? { ok: false as const, reason: "the provider rejected the key (HTTP 401)" }
    : { ok: true as const };
}

function buildWithKeys(current: Buffer, previous?: Buffer) {
  const captured = captureLogger("debug");
  logBatches.push(captured.lines);
  return buildApi({
    config: testConfig({
      DEVELOPER_ADMIN_TOKEN,
      SECRET_ENCRYPTION_KEY: current.toString("hex"),
      ...(previous ? { SECRET_ENCRYPTION_KEY_PREVIOUS: previous.toString("base64") } : {}),
      PROVIDER_ALLOW_PRIVATE_HOSTS: "10.0.0.5, vllm.lan.example",
    }),
    db: database.db,
    logger: captured.logger,
    validateProviderKey: fakeValidator,
  });
}

/** `inject`, keeping every response body for the leak check at the end. */
async function call(options: InjectOptions) {
  const response = await api.inject(options);
  transcript.push(response.body, JSON.stringify(response.headers));
  return response;
}

async function session(externalUserId: string): Promise<{ token: string; endUserId: string }> {
  const response = await call({
    method: "POST",
    url: "/v1/sessions",
    payload: { public_app_id: "app_demo", external_user_id: externalUserId },
  });
  expect(response.statusCode).toBe(200);
  const token = response.json().session_token as string;
  const { rows } = await database.db.query<{ end_user_id: string }>(
    "SELECT end_user_id FROM sessions WHERE token_hash = $1",
    [hashToken(token)],
  );
  return { token, endUserId: rows[0]!.end_user_id };
}

const userKeys = (token: string, method: "GET" | "POST" | "DELETE", payload?: object, id?: string) =>
  call({
    method,
    url: `/v1/user/provider-keys${id ? `/${id}` : ""}`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

const developerKeys = (method: "GET" | "POST" | "DELETE", options: { payload?: object; query?: string; id?: string }) =>
  call({
    method,
    url: `/v1/developer/provider-keys${options.id ? `/${options.id}` : ""}${options.query ? `?${options.query}` : ""}`,
    headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` },
    ...(options.payload ? { payload: options.payload } : {}),
  });

let alice: { token: string; endUserId: string };
let bob: { token: string; endUserId: string };
const ownerOf = (user: { endUserId: string }): ProviderKeyOwner => ({
  kind: "end_user",
  endUserId: user.endUserId,
  appId: "app_demo",
  developerId: "dev_demo",
});

beforeAll(async () => {
  database = await createTestDatabase();
  api = await buildWithKeys(KEY_A);
  alice = await session("alice@example.com");
  bob = await session("bob@example.com");
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

describe("POST|GET|DELETE /v1/user/provider-keys", () => {
  let aliceKeyId: string;

  it("stores a BYOK key and answers with its mask, never the key", async () => {
    const response = await userKeys(alice.token, "POST", {
      provider: "openai",
      api_key: KEYS.alice,
      models_allowed: ["gpt-4o-mini", "gpt-4.1"],
      budget_limit_usd: "25.5",
      priority: 10,
      fallback_to_platform: true,
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^upk_[0-9a-f]{24}$/),
      provider: "openai",
      base_url: null,
      models_allowed: ["gpt-4o-mini", "gpt-4.1"],
      budget_limit_usd: "25.50000000",
      priority: 10,
      fallback_to_platform: true,
      masked: "sk-...WXYZ",
      created_at: expect.any(String),
      revoked_at: null,
    });
    aliceKeyId = body.id;
  });

  it("keeps only the envelope and the mask in the database", async () => {
    const { rows } = await database.db.query<Record<string, unknown>>(
      "SELECT * FROM user_provider_keys WHERE id = $1",
      [aliceKeyId],
    );
    const row = rows[0]!;
    expect(row.secret_key_id).toBe(createMasterKey(KEY_A).id);
    expect(row.budget_limit_units).toBe("2550000000");
    const bytes = Buffer.concat(
      Object.values(row).map((value) =>
        value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(JSON.stringify(value) ?? ""),
      ),
    );
    expect(bytes.includes(Buffer.from(KEYS.alice))).toBe(false);
    expect(bytes.includes(Buffer.from(KEYS.alice.slice(8, 24)))).toBe(false);
  });

  it("lists only the caller's own keys, in priority order", async () => {
    const second = await userKeys(alice.token, "POST", { provider: "anthropic", api_key: KEYS.alice2, priority: 1 });
    expect(second.statusCode).toBe(201);
    expect((await userKeys(bob.token, "POST", { provider: "groq", api_key: KEYS.bob })).statusCode).toBe(201);

    const mine = (await userKeys(alice.token, "GET")).json().items as { id: string; masked: string }[];
    expect(mine.map((key) => key.masked)).toEqual(["sk-...abcd", "sk-...WXYZ"]);
    const theirs = (await userKeys(bob.token, "GET")).json().items as { masked: string }[];
    expect(theirs.map((key) => key.masked)).toEqual(["gsk...9876"]);
  });

  it("refuses to delete someone else's key (404, as if it did not exist), and revokes one's own", async () => {
    const stolen = await userKeys(bob.token, "DELETE", undefined, aliceKeyId);
    expect(stolen.statusCode).toBe(404);
    expect(stolen.json().error.code).toBe("not_found");

    const deleted = await userKeys(alice.token, "DELETE", undefined, aliceKeyId);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ id: aliceKeyId, masked: "sk-...WXYZ", revoked_at: expect.any(String) });
    expect((await userKeys(alice.token, "DELETE", undefined, aliceKeyId)).statusCode).toBe(404);
    const listed = (await userKeys(alice.token, "GET")).json().items as { id: string }[];
    expect(listed.map((key) => key.id)).not.toContain(aliceKeyId);

    // Revoking erases the envelope: the key cannot be decrypted again with any master key.
    const { rows } = await database.db.query(
      `SELECT num_nonnulls(secret_key_id, secret_wrapped_key, secret_wrap_iv, secret_wrap_tag, secret_iv,
                           secret_ciphertext, secret_tag) AS n FROM user_provider_keys WHERE id = $1`,
      [aliceKeyId],
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("needs a session", async () => {
    const response = await call({ method: "GET", url: "/v1/user/provider-keys" });
    expect(response.statusCode).toBe(401);
    const forged = await userKeys("mf_sess_not-a-real-session", "POST", { provider: "openai", api_key: KEYS.invalid });
    expect(forged.statusCode).toBe(401);
  });

  it.for([
    [{ provider: "azure", api_key: KEYS.invalid }, /^provider: must be one of openai, anthropic/],
    [{ provider: "openai" }, /^api_key: is required/],
    [{ provider: "openai", api_key: `${KEYS.invalid} x` }, /^api_key: must be printable ASCII/],
    [{ provider: "openai_compatible", api_key: KEYS.invalid }, /^base_url: is required for provider openai_compatible/],
    [{ provider: "openai", api_key: KEYS.invalid, models_allowed: [] }, /^models_allowed: must not be empty; omit it/],
    [{ provider: "openai", api_key: KEYS.invalid, budget_limit_usd: "1e3" }, /^budget_limit_usd: /],
    [{ provider: "openai", api_key: KEYS.invalid, priority: 5000 }, /^priority: /],
    [{ provider: "openai", api_key: KEYS.invalid, apikey: KEYS.invalid }, /Unrecognized key/],
  ] as const)("refuses a bad body with 400 invalid_request, echoing no value (%$)", async ([payload, message]) => {
    const response = await userKeys(alice.token, "POST", payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: "invalid_request", message: expect.stringMatching(message) });
  });

  it("answers malformed JSON with 400 without echoing it", async () => {
    const response = await call({
      method: "POST",
      url: "/v1/user/provider-keys",
      headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
      payload: `{"provider":"openai","api_key":"${KEYS.invalid}",`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain(KEYS.invalid);
  });
});

describe("base_url and the URL guard", () => {
  it.each([
    "http://127.0.0.1:8000/v1",
    "http://localhost:11434/v1",
    "http://169.254.169.254/latest",
    "http://[::ffff:127.0.0.1]/v1",
    "http://2130706433/v1",
    "http://10.0.0.6/v1",
    "http://metadata.google.internal/",
    "ftp://example.com/v1",
    "https://user:pass@api.example.com/v1",
  ])("refuses %s with 400 invalid_request naming base_url", async (baseUrl) => {
    const response = await userKeys(alice.token, "POST", {
      provider: "openai_compatible",
      api_key: KEYS.local,
      base_url: baseUrl,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "invalid_request",
      message: expect.stringMatching(/^base_url: /),
    });
  });

  it("refuses a query, a fragment, or the key itself in base_url", async () => {
    for (const baseUrl of [
      "https://api.example.com/v1?key=x",
      "https://api.example.com/v1#x",
      `https://api.example.com/${KEYS.local}`,
    ]) {
      const response = await userKeys(alice.token, "POST", {
        provider: "openai_compatible",
        api_key: KEYS.local,
        base_url: baseUrl,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(/^base_url: /);
    }
  });

  it("accepts a public URL (normalized) and the private hosts PROVIDER_ALLOW_PRIVATE_HOSTS names", async () => {
    const accepted = [];
    for (const baseUrl of ["https://API.Example.com/v1", "http://10.0.0.5:8000/v1", "http://vllm.lan.example/v1"]) {
      const response = await userKeys(bob.token, "POST", {
        provider: "openai_compatible",
        api_key: KEYS.local,
        base_url: baseUrl,
      });
      expect(response.statusCode).toBe(201);
      accepted.push(response.json().base_url);
    }
    expect(accepted).toEqual(["https://api.example.com/v1", "http://10.0.0.5:8000/v1", "http://vllm.lan.example/v1"]);
  });
});

describe("validate: true", () => {
  it("refuses a key the validator rejects with 400 secret_validation_failed, storing nothing", async () => {
    const before = (await userKeys(alice.token, "GET")).json().items.length;
    const response = await userKeys(alice.token, "POST", {
      provider: "openai",
      api_key: KEYS.rejected,
      validate: true,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "secret_validation_failed",
      message: "The openai key did not validate: the provider rejected the key (HTTP 401).",
    });
    expect((await userKeys(alice.token, "GET")).json().items.length).toBe(before);
  });

  it("passes the key, provider and checked base_url to the validator, and stores the key when it passes", async () => {
    validated.length = 0;
    const response = await developerKeys("POST", {
      payload: {
        developer_id: "dev_demo",
        provider: "openai_compatible",
        api_key: KEYS.dev,
        base_url: "https://llm.example.com/v1",
        validate: true,
      },
    });
    expect(response.statusCode).toBe(201);
    expect(validated).toEqual([
      { provider: "openai_compatible", apiKey: KEYS.dev, baseUrl: "https://llm.example.com/v1" },
    ]);
    expect((await userKeys(alice.token, "POST", { provider: "openai", api_key: KEYS.alice })).statusCode).toBe(201);
    expect(validated).toHaveLength(1); // validate defaults to false
  });
});

describe("POST|GET|DELETE /v1/developer/provider-keys", () => {
  it("needs a developer token or DEVELOPER_ADMIN_TOKEN", async () => {
    expect((await call({ method: "GET", url: "/v1/developer/provider-keys?developer_id=dev_demo" })).statusCode).toBe(
      401,
    );
    const wrong = await call({
      method: "GET",
      url: "/v1/developer/provider-keys?developer_id=dev_demo",
      headers: { authorization: `Bearer ${alice.token}` },
    });
    // A session token is no developer credential: unknown, so 401 (403 is for a missing scope).
    expect(wrong.statusCode).toBe(401);
  });

  it("stores, lists and revokes a developer's keys, scoped by developer_id", async () => {
    const created = await developerKeys("POST", {
      payload: { developer_id: "dev_demo", provider: "mistral", api_key: KEYS.dev, budget_limit_usd: "100" },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json();
    expect(key).toMatchObject({
      id: expect.stringMatching(/^dpk_/),
      developer_id: "dev_demo",
      provider: "mistral",
      budget_limit_usd: "100.00000000",
      masked: "sk-...cdef",
    });

    const listed = (await developerKeys("GET", { query: "developer_id=dev_demo" })).json().items as { id: string }[];
    expect(listed.map((item) => item.id)).toContain(key.id);

    expect((await developerKeys("GET", {})).statusCode).toBe(400);
    const unknown = await developerKeys("POST", {
      payload: { developer_id: "dev_nobody", provider: "openai", api_key: KEYS.dev },
    });
    expect(unknown.statusCode).toBe(404);
    await database.db.query("INSERT INTO developers (id, name, email) VALUES ('dev_other', 'Other', 'o@example.com')");
    expect((await developerKeys("DELETE", { id: key.id, query: "developer_id=dev_other" })).statusCode).toBe(404);
    expect((await developerKeys("GET", { query: "developer_id=dev_other" })).json().items).toEqual([]);

    const deleted = await developerKeys("DELETE", { id: key.id, query: "developer_id=dev_demo" });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().revoked_at).toEqual(expect.any(String));
  });

  it("writes audit entries for create and delete, without secrets", async () => {
    const { rows } = await database.db.query<Record<string, unknown>>(
      "SELECT * FROM audit_logs WHERE resource_type = 'provider_key' ORDER BY id",
    );
    const actions = rows.map((row) => `${String(row.actor_type)}:${String(row.action)}`);
    expect(actions).toContain("end_user:provider_key.create");
    expect(actions).toContain("end_user:provider_key.delete");
    expect(actions).toContain("admin:provider_key.create");
    expect(actions).toContain("admin:provider_key.delete");
    expect(rows.every((row) => row.developer_id === "dev_demo" && typeof row.request_id === "string")).toBe(true);
    const dump = JSON.stringify(rows);
    for (const secret of Object.values(KEYS)) expect(dump).not.toContain(secret);
  });
});

describe("loadDecryptedProviderKey (for the Gateway)", () => {
  it("returns the owner's key decrypted, and nothing for another owner or a revoked key", async () => {
    const keyring = createSecretKeyring(KEY_A);
    const created = (await userKeys(alice.token, "POST", { provider: "together", api_key: KEYS.alice2 })).json();
    const loaded = await loadDecryptedProviderKey(database.db, keyring, ownerOf(alice), created.id);
    expect(loaded).toMatchObject({ id: created.id, provider: "together", apiKey: KEYS.alice2, masked: "sk-...abcd" });
    expect(await loadDecryptedProviderKey(database.db, keyring, ownerOf(bob), created.id)).toBeUndefined();
    await userKeys(alice.token, "DELETE", undefined, created.id);
    expect(await loadDecryptedProviderKey(database.db, keyring, ownerOf(alice), created.id)).toBeUndefined();
  });

  it("refuses an envelope copied from another row (associated data binds it to its row)", async () => {
    const keyring = createSecretKeyring(KEY_A);
    const victim = (await userKeys(alice.token, "POST", { provider: "openai", api_key: KEYS.alice })).json();
    const attacker = (await userKeys(bob.token, "POST", { provider: "openai", api_key: KEYS.bob })).json();
    await database.db.query(
      `UPDATE user_provider_keys AS t SET secret_key_id = s.secret_key_id, secret_wrapped_key = s.secret_wrapped_key,
         secret_wrap_iv = s.secret_wrap_iv, secret_wrap_tag = s.secret_wrap_tag, secret_iv = s.secret_iv,
         secret_ciphertext = s.secret_ciphertext, secret_tag = s.secret_tag
       FROM user_provider_keys AS s WHERE s.id = $1 AND t.id = $2`,
      [victim.id, attacker.id],
    );
    const error = await loadDecryptedProviderKey(database.db, keyring, ownerOf(bob), attacker.id).catch((e) => e);
    expect(isSecretDecryptionError(error) && error.reason).toBe("authentication_failed");
    await userKeys(bob.token, "DELETE", undefined, attacker.id);
  });
});

describe("secrets:rotate", () => {
  it("re-wraps every key from A to B, idempotently; afterwards B alone decrypts them", async () => {
    const owners = new Map<string, ProviderKeyOwner>();
    for (const [user, key] of [
      [alice, KEYS.alice],
      [bob, KEYS.bob],
    ] as const) {
      const id = (await userKeys(user.token, "POST", { provider: "openai", api_key: key })).json().id as string;
      owners.set(id, ownerOf(user));
    }
    const dev = await developerKeys("POST", {
      payload: { developer_id: "dev_demo", provider: "groq", api_key: KEYS.dev },
    });
    owners.set(dev.json().id, { kind: "developer", developerId: "dev_demo" });

    const a = createMasterKey(KEY_A);
    const b = createMasterKey(KEY_B);
    const count = async (keyId: string) =>
      (
        await database.db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM user_provider_keys WHERE secret_key_id = $1)
                + (SELECT count(*) FROM developer_provider_keys WHERE secret_key_id = $1) AS n`,
          [keyId],
        )
      ).rows[0]!.n;
    const underA = Number(await count(a.id));
    expect(underA).toBeGreaterThanOrEqual(owners.size);
    const ciphertextsBefore = await database.db.query<{ id: string; c: string }>(
      "SELECT id, encode(secret_ciphertext, 'hex') AS c FROM user_provider_keys WHERE revoked_at IS NULL ORDER BY id",
    );

    // A service restarted with B as current and A as previous reads both while the rotation runs.
    const during = createSecretKeyring(KEY_B, [KEY_A]);
    const [someId, someOwner] = [...owners.entries()][0]!;
    expect((await loadDecryptedProviderKey(database.db, during, someOwner, someId))?.apiKey).toBe(KEYS.alice);

    const first = await rotateSecrets(database.db, { from: a, to: b, batchSize: 2 });
    expect(first).toEqual({ rewrapped: underA, failed: [], remaining: {} });
    expect(Number(await count(a.id))).toBe(0);
    const again = await rotateSecrets(database.db, { from: a, to: b, batchSize: 2 });
    expect(again).toEqual({ rewrapped: 0, failed: [], remaining: {} });

    const ciphertextsAfter = await database.db.query<{ id: string; c: string }>(
      "SELECT id, encode(secret_ciphertext, 'hex') AS c FROM user_provider_keys WHERE revoked_at IS NULL ORDER BY id",
    );
    expect(ciphertextsAfter.rows).toEqual(ciphertextsBefore.rows);

    const onlyB = createSecretKeyring(KEY_B);
    const onlyA = createSecretKeyring(KEY_A);
    const expected = [KEYS.alice, KEYS.bob, KEYS.dev];
    const decrypted = [];
    for (const [id, owner] of owners) {
      decrypted.push((await loadDecryptedProviderKey(database.db, onlyB, owner, id))?.apiKey);
      const error = await loadDecryptedProviderKey(database.db, onlyA, owner, id).catch((e) => e);
      expect(isSecretDecryptionError(error) && error.reason).toBe("key_unavailable");
    }
    expect(decrypted).toEqual(expected);
  });

  it("an API restarted on B alone stores new keys under B and lists the rotated ones", async () => {
    await api.close();
    api = await buildWithKeys(KEY_B);
    const created = await userKeys(alice.token, "POST", { provider: "openai", api_key: KEYS.alice });
    expect(created.statusCode).toBe(201);
    const { rows } = await database.db.query<{ secret_key_id: string }>(
      "SELECT secret_key_id FROM user_provider_keys WHERE id = $1",
      [created.json().id],
    );
    expect(rows[0]!.secret_key_id).toBe(createMasterKey(KEY_B).id);
    expect((await userKeys(alice.token, "GET")).json().items.length).toBeGreaterThan(1);
  });
});

describe("no key ever leaks", () => {
  it("appears in no response, header or log line of this file", () => {
    expect(transcript.length).toBeGreaterThan(50);
    const logs = logBatches.flat();
    expect(logs.length).toBeGreaterThan(0);
    const everything = [...transcript, ...logs].join("\n");
    for (const secret of Object.values(KEYS)) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.slice(4, 20));
    }
  });
});
