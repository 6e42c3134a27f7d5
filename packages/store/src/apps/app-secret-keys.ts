import { AppError } from "@modelfaucet/core";
import {
  decryptSecret,
  encryptSecret,
  hashToken,
  isSecretDecryptionError,
  newId,
  newToken,
  TOKEN_PREFIX,
  tokenDisplayPrefix,
  type MasterKey,
  type SecretKeyring,
} from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import { appendAuditEntry, type AuditActor } from "../audit/append-audit-entry.js";
import { ENVELOPE_COLUMNS, envelopeFromRow, envelopeParams, type EnvelopeRow } from "../secrets/envelope-columns.js";
import type { Tenant } from "../tenant.js";
import { findActiveApp, findApp } from "./app-store.js";

/**
 * An app secret key (`mf_app_sk_…`) as shown to its developer: never the key.
 * The database keeps its SHA-256 (bearer use), its display prefix and its
 * envelope (to check user assertions made with it).
 */
export interface AppSecretKey {
  id: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

interface SecretKeyRow {
  id: string;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** Most of an app's live secret keys an assertion is checked against (newest first): apps rotate, not hoard. */
const MAX_KEYS_TRIED = 20;

const toSecretKey = (row: SecretKeyRow): AppSecretKey => ({
  id: row.id,
  prefix: row.key_prefix,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/**
 * The associated data binding an app secret key's envelope to its row:
 * `app_secret_keys:ask_…:app_…`. A ciphertext copied to another row or app does not decrypt.
 */
const appSecretKeyAad = (keyId: string, appId: string) => `app_secret_keys:${keyId}:${appId}`;

/**
 * Makes a secret key for the tenant's active app, stores it (hash, prefix,
 * envelope under `master`) with its audit entry. The key is in the answer only.
 */
export async function createAppSecretKey(
  db: Database,
  tenant: Tenant,
  appId: string,
  master: MasterKey,
  actor: AuditActor,
): Promise<{ secretKey: string; record: AppSecretKey }> {
  const secretKey = newToken(TOKEN_PREFIX.appSecretKey);
  const record = await db.transaction(async (tx) => {
    const app = await findActiveApp(tx, tenant, appId);
    const id = newId("ask");
    const envelope = encryptSecret(secretKey, appSecretKeyAad(id, app.id), master);
    const { rows } = await tx.query<SecretKeyRow>(
      `INSERT INTO app_secret_keys (id, app_id, key_hash, key_prefix, ${ENVELOPE_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING id, key_prefix, created_at, revoked_at`,
      [
        id,
        app.id,
        hashToken(secretKey),
        tokenDisplayPrefix(secretKey, TOKEN_PREFIX.appSecretKey),
        ...envelopeParams(envelope),
      ],
    );
    const created = toSecretKey(rows[0]!);
    await appendAuditEntry(tx, {
      ...actor,
      developerId: app.developerId,
      action: "app_secret_key.create",
      resourceType: "app_secret_key",
      resourceId: created.id,
    });
    return created;
  });
  return { secretKey, record };
}

/**
 * Revokes the tenant's active app secret key and erases its envelope (it can
 * never be decrypted again), with its audit entry; 404 `not_found` when it
 * has no such key (unknown, another's, revoked).
 */
export async function revokeAppSecretKey(
  db: Database,
  tenant: Tenant,
  appId: string,
  keyId: string,
  actor: AuditActor,
): Promise<AppSecretKey> {
  return db.transaction(async (tx) => {
    const app = await findApp(tx, tenant, appId);
    const { rows } = await tx.query<SecretKeyRow>(
      `UPDATE app_secret_keys k SET revoked_at = now(), secret_key_id = NULL, secret_wrapped_key = NULL,
         secret_wrap_iv = NULL, secret_wrap_tag = NULL, secret_iv = NULL, secret_ciphertext = NULL, secret_tag = NULL
       FROM apps a
       WHERE k.id = $1 AND k.app_id = $2 AND a.id = k.app_id AND ($3::text IS NULL OR a.developer_id = $3)
         AND k.revoked_at IS NULL
       RETURNING k.id, k.key_prefix, k.created_at, k.revoked_at`,
      [keyId, appId, tenant],
    );
    if (!rows[0]) throw new AppError("not_found", "No active secret key with this id in this app.");
    await appendAuditEntry(tx, {
      ...actor,
      developerId: app.developerId,
      action: "app_secret_key.revoke",
      resourceType: "app_secret_key",
      resourceId: keyId,
    });
    return toSecretKey(rows[0]);
  });
}

/** Whether `secretKey` is one of the app's unrevoked secret keys (looked up by its hash). */
export async function isLiveAppSecretKey(q: Queryable, appId: string, secretKey: string): Promise<boolean> {
  const { rows } = await q.query(
    "SELECT 1 FROM app_secret_keys WHERE key_hash = $1 AND app_id = $2 AND revoked_at IS NULL",
    [hashToken(secretKey), appId],
  );
  return rows.length > 0;
}

/**
 * The app's live secret keys, decrypted, newest first (at most
 * MAX_KEYS_TRIED); keys stored before they were encrypted, or under a master
 * key the keyring lacks, are left out. For checking user assertions only.
 */
export async function liveAppSecretKeys(q: Queryable, keyring: SecretKeyring, appId: string): Promise<string[]> {
  const { rows } = await q.query<EnvelopeRow & { id: string }>(
    `SELECT id, ${ENVELOPE_COLUMNS}
     FROM app_secret_keys WHERE app_id = $1 AND revoked_at IS NULL AND secret_key_id IS NOT NULL
     ORDER BY created_at DESC LIMIT ${MAX_KEYS_TRIED}`,
    [appId],
  );
  return rows.flatMap((row) => {
    try {
      return [decryptSecret(envelopeFromRow(row), appSecretKeyAad(row.id, appId), keyring)];
    } catch (error) {
      if (isSecretDecryptionError(error)) return [];
      throw error;
    }
  });
}
