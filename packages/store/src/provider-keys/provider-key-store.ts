import type { ProviderKeyProvider } from "@modelfaucet/contract";
import {
  decryptSecret,
  encryptSecret,
  maskSecret,
  newId,
  type MasterKey,
  type SecretKeyring,
} from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import { ENVELOPE_COLUMNS, envelopeFromRow, envelopeParams, type EnvelopeRow } from "../secrets/envelope-columns.js";
import { ownerId, PROVIDER_KEY_TABLES, providerKeyAad, type ProviderKeyOwner } from "./provider-key-owner.js";

/** A stored provider key as shown to its owner: everything but the secret. */
export interface ProviderKeyRecord {
  id: string;
  owner: ProviderKeyOwner;
  provider: ProviderKeyProvider;
  /** Checked by the URL guard on store (normalized form); null = the provider's default endpoint. */
  baseUrl: string | null;
  /** Model ids this key may serve; null = any. */
  modelsAllowed: string[] | null;
  /** Most this key may spend, units of 1e-8 USD; null = no limit. */
  budgetLimitUnits: bigint | null;
  /** 0–1000; among one owner's keys, the smaller runs first. */
  priority: number;
  /** Whether a provider failure on this key may fall back to the platform pool. */
  fallbackToPlatform: boolean;
  /** `sk-...abcd`: all that is ever shown of the key. */
  masked: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** What a new key is stored with, besides its owner. */
export interface NewProviderKey {
  provider: ProviderKeyProvider;
  apiKey: string;
  baseUrl: string | null;
  modelsAllowed: string[] | null;
  budgetLimitUnits: bigint | null;
  priority: number;
  fallbackToPlatform: boolean;
}

/** A stored key with its secret decrypted: for the Gateway's upstream call only — never log or return it. */
export interface DecryptedProviderKey extends ProviderKeyRecord {
  apiKey: string;
}

/** Most active keys one owner may hold. */
export const MAX_ACTIVE_PROVIDER_KEYS = 50;

const RECORD_COLUMNS = `id, provider, base_url, models_allowed, budget_limit_units::text, priority,
  fallback_to_platform, masked, created_at, revoked_at`;

interface RecordRow {
  id: string;
  provider: ProviderKeyProvider;
  base_url: string | null;
  models_allowed: string[] | null;
  budget_limit_units: string | null;
  priority: number;
  fallback_to_platform: boolean;
  masked: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toRecord = (owner: ProviderKeyOwner, row: RecordRow): ProviderKeyRecord => ({
  id: row.id,
  owner,
  provider: row.provider,
  baseUrl: row.base_url,
  modelsAllowed: row.models_allowed,
  budgetLimitUnits: row.budget_limit_units === null ? null : BigInt(row.budget_limit_units),
  priority: row.priority,
  fallbackToPlatform: row.fallback_to_platform,
  masked: row.masked,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** A new id for an owner's kind of key (`upk_…`, `dpk_…`). */
export function newProviderKeyId(owner: ProviderKeyOwner): string {
  return newId(PROVIDER_KEY_TABLES[owner.kind].idPrefix);
}

/** Number of active keys of an owner. */
export async function countActiveProviderKeys(q: Queryable, owner: ProviderKeyOwner): Promise<number> {
  const { table, ownerColumn } = PROVIDER_KEY_TABLES[owner.kind];
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${ownerColumn} = $1 AND revoked_at IS NULL`,
    [ownerId(owner)],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Encrypts `key.apiKey` under `master` (bound to the row `id` and its owner)
 * and inserts the row. Only the envelope and the mask are stored.
 */
export async function insertProviderKey(
  q: Queryable,
  owner: ProviderKeyOwner,
  id: string,
  key: NewProviderKey,
  master: MasterKey,
): Promise<ProviderKeyRecord> {
  const envelope = encryptSecret(key.apiKey, providerKeyAad(owner, id), master);
  const common = [
    id,
    key.provider,
    key.baseUrl,
    key.modelsAllowed,
    key.budgetLimitUnits?.toString() ?? null,
    key.priority,
    key.fallbackToPlatform,
    maskSecret(key.apiKey),
    ...envelopeParams(envelope),
  ];
  const { rows } =
    owner.kind === "end_user"
      ? await q.query<RecordRow>(
          `INSERT INTO user_provider_keys (id, provider, base_url, models_allowed, budget_limit_units, priority,
             fallback_to_platform, masked, ${ENVELOPE_COLUMNS}, end_user_id, app_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
           RETURNING ${RECORD_COLUMNS}`,
          [...common, owner.endUserId, owner.appId],
        )
      : await q.query<RecordRow>(
          `INSERT INTO developer_provider_keys (id, provider, base_url, models_allowed, budget_limit_units, priority,
             fallback_to_platform, masked, ${ENVELOPE_COLUMNS}, developer_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           RETURNING ${RECORD_COLUMNS}`,
          [...common, owner.developerId],
        );
  return toRecord(owner, rows[0]!);
}

/** An owner's active keys in routing order (priority, then oldest first). Bounded by MAX_ACTIVE_PROVIDER_KEYS. */
export async function listProviderKeys(q: Queryable, owner: ProviderKeyOwner): Promise<ProviderKeyRecord[]> {
  const { table, ownerColumn } = PROVIDER_KEY_TABLES[owner.kind];
  const { rows } = await q.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM ${table} WHERE ${ownerColumn} = $1 AND revoked_at IS NULL
     ORDER BY priority, created_at, id LIMIT ${MAX_ACTIVE_PROVIDER_KEYS}`,
    [ownerId(owner)],
  );
  return rows.map((row) => toRecord(owner, row));
}

/**
 * Revokes an owner's active key and erases its envelope, so it can never be
 * decrypted again. Undefined when the owner has no such active key (unknown,
 * someone else's, or already revoked — indistinguishable on purpose).
 */
export async function revokeProviderKey(
  q: Queryable,
  owner: ProviderKeyOwner,
  id: string,
): Promise<ProviderKeyRecord | undefined> {
  const { table, ownerColumn } = PROVIDER_KEY_TABLES[owner.kind];
  const { rows } = await q.query<RecordRow>(
    `UPDATE ${table}
     SET revoked_at = now(), secret_key_id = NULL, secret_wrapped_key = NULL, secret_wrap_iv = NULL,
         secret_wrap_tag = NULL, secret_iv = NULL, secret_ciphertext = NULL, secret_tag = NULL
     WHERE id = $1 AND ${ownerColumn} = $2 AND revoked_at IS NULL
     RETURNING ${RECORD_COLUMNS}`,
    [id, ownerId(owner)],
  );
  return rows[0] && toRecord(owner, rows[0]);
}

/**
 * Sets a developer's active key's budget limit (units; null = no limit).
 * Undefined when the developer has no such active key. The caller funds the
 * key's budget account in the same transaction (apps/api's fundDeveloperKeyBudget).
 */
export async function updateProviderKeyBudget(
  q: Queryable,
  owner: ProviderKeyOwner & { kind: "developer" },
  id: string,
  budgetLimitUnits: bigint | null,
): Promise<ProviderKeyRecord | undefined> {
  const { rows } = await q.query<RecordRow>(
    `UPDATE developer_provider_keys SET budget_limit_units = $3
     WHERE id = $1 AND developer_id = $2 AND revoked_at IS NULL
     RETURNING ${RECORD_COLUMNS}`,
    [id, owner.developerId, budgetLimitUnits?.toString() ?? null],
  );
  return rows[0] && toRecord(owner, rows[0]);
}

/**
 * For the Gateway: an owner's active key `id` with its secret decrypted, or
 * undefined when the owner has no such active key. The owner is part of the
 * lookup and of the secret's associated data, so a key is only ever usable
 * for the user (or developer) who stored it.
 *
 * Decryption picks the master key by the record's key id (current, then
 * previous), so it works during a rotation. Throws SecretDecryptionError when
 * no configured key matches or the record fails authentication — an operator
 * problem (a removed key, tampering), never the caller's: map it to a 500 and
 * alert, do not fall back silently.
 *
 * The returned `apiKey` goes into the upstream request header and nowhere
 * else: not into logs, errors, metrics or responses.
 */
export async function loadDecryptedProviderKey(
  q: Queryable,
  keyring: SecretKeyring,
  owner: ProviderKeyOwner,
  id: string,
): Promise<DecryptedProviderKey | undefined> {
  const { table, ownerColumn } = PROVIDER_KEY_TABLES[owner.kind];
  const { rows } = await q.query<RecordRow & EnvelopeRow>(
    `SELECT ${RECORD_COLUMNS}, ${ENVELOPE_COLUMNS} FROM ${table}
     WHERE id = $1 AND ${ownerColumn} = $2 AND revoked_at IS NULL`,
    [id, ownerId(owner)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const apiKey = decryptSecret(envelopeFromRow(row), providerKeyAad(owner, id), keyring);
  return { ...toRecord(owner, row), apiKey };
}
