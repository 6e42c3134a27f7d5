import {
  createMasterKey,
  decodeMasterKeyText,
  isSecretDecryptionError,
  rewrapSecret,
  type EnvelopeRecord,
  type MasterKey,
} from "@modelfaucet/crypto";
import { openDatabase, type Database } from "@modelfaucet/db";
import { loadConfigOrExit } from "@modelfaucet/server-kit";
import { envelopeFromRow, type EnvelopeRow } from "@modelfaucet/store";

/**
 * Tables holding envelope-encrypted secrets, with the same envelope columns
 * (packages/db/migrations/0006_provider_keys.sql, 0013_app_secret_key_envelopes.sql). A new table of secrets
 * must be added here, or rotation would leave it behind.
 */
export const SECRET_TABLES = ["user_provider_keys", "developer_provider_keys", "app_secret_keys"] as const;

/** Rows re-wrapped per transaction: small enough to keep row locks short. */
export const DEFAULT_ROTATE_BATCH_SIZE = 100;

export interface RotateOptions {
  /** The master key being retired (SECRET_ENCRYPTION_KEY_PREVIOUS). */
  from: MasterKey;
  /** The new master key (SECRET_ENCRYPTION_KEY). */
  to: MasterKey;
  batchSize?: number;
}

export interface RotateResult {
  /** Records re-wrapped from `from` to `to` by this run. */
  rewrapped: number;
  /** Ids of records under `from` that could not be unwrapped (altered or corrupt); left as they were. */
  failed: string[];
  /** Active records still not under `to`, by key id, after this run (`from` ones written meanwhile, unknown keys). */
  remaining: Record<string, number>;
}

/**
 * Re-wraps the data key of every active record wrapped by `from` so that `to`
 * wraps it; the secrets themselves are never decrypted and their ciphertexts
 * do not change. Batches walk each table by id, one short transaction each,
 * and every UPDATE is conditional on the row still being under `from` — so
 * it is safe to run while the services run (they decrypt with whichever key a
 * record names) and safe to re-run: records already under `to` are skipped.
 *
 * Once `remaining` is empty, SECRET_ENCRYPTION_KEY_PREVIOUS can be removed.
 */
export async function rotateSecrets(db: Database, options: RotateOptions): Promise<RotateResult> {
  const { from, to } = options;
  const batchSize = options.batchSize ?? DEFAULT_ROTATE_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new RangeError(`batch size must be an integer between 1 and 10000, got ${String(batchSize)}`);
  }
  const result: RotateResult = { rewrapped: 0, failed: [], remaining: {} };
  if (from.id === to.id) return { ...result, remaining: await remainingByKeyId(db, to) };
  for (const table of SECRET_TABLES) {
    let after = "";
    for (;;) {
      const batch = await db.transaction(async (tx) => {
        const { rows } = await tx.query<EnvelopeRow & { id: string }>(
          `SELECT id, secret_key_id, secret_wrapped_key, secret_wrap_iv, secret_wrap_tag, secret_iv,
                  secret_ciphertext, secret_tag
           FROM ${table} WHERE revoked_at IS NULL AND secret_key_id = $1 AND id > $2
           ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [from.id, after, batchSize],
        );
        for (const row of rows) {
          let rewrapped: EnvelopeRecord;
          try {
            rewrapped = rewrapSecret(envelopeFromRow(row), from, to);
          } catch (error) {
            if (!isSecretDecryptionError(error)) throw error;
            result.failed.push(row.id);
            continue;
          }
          const updated = await tx.query(
            `UPDATE ${table} SET secret_key_id = $1, secret_wrapped_key = $2, secret_wrap_iv = $3, secret_wrap_tag = $4
             WHERE id = $5 AND secret_key_id = $6 AND revoked_at IS NULL`,
            [rewrapped.keyId, rewrapped.wrappedDataKey, rewrapped.wrapIv, rewrapped.wrapTag, row.id, from.id],
          );
          result.rewrapped += updated.rowCount;
        }
        return rows;
      });
      const last = batch.at(-1);
      if (last === undefined) break;
      after = last.id;
    }
  }
  result.remaining = await remainingByKeyId(db, to);
  return result;
}

async function remainingByKeyId(db: Database, to: MasterKey): Promise<Record<string, number>> {
  const remaining: Record<string, number> = {};
  for (const table of SECRET_TABLES) {
    const { rows } = await db.query<{ secret_key_id: string; n: number }>(
      `SELECT secret_key_id, count(*)::int AS n FROM ${table}
       WHERE revoked_at IS NULL AND secret_key_id <> $1 GROUP BY secret_key_id`,
      [to.id],
    );
    for (const row of rows) remaining[row.secret_key_id] = (remaining[row.secret_key_id] ?? 0) + row.n;
  }
  return remaining;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `modelfaucet secrets rotate` (`pnpm secrets:rotate`): with
 * SECRET_ENCRYPTION_KEY = the new key and SECRET_ENCRYPTION_KEY_PREVIOUS =
 * the old one. Run it after every service runs with both variables set (so
 * none wraps new secrets with the old key any more); then drop the old key.
 */
export async function secretsRotateCommand(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.SECRET_ENCRYPTION_KEY) throw new Error("SECRET_ENCRYPTION_KEY must be set to the new master key");
  if (!config.SECRET_ENCRYPTION_KEY_PREVIOUS) {
    throw new Error("SECRET_ENCRYPTION_KEY_PREVIOUS must be set to the master key being retired");
  }
  const to = createMasterKey(decodeMasterKeyText(config.SECRET_ENCRYPTION_KEY, "SECRET_ENCRYPTION_KEY"));
  const from = createMasterKey(
    decodeMasterKeyText(config.SECRET_ENCRYPTION_KEY_PREVIOUS, "SECRET_ENCRYPTION_KEY_PREVIOUS"),
  );
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.MODELFAUCET_DATA_DIR, poolMax: 2 });
  let result: RotateResult;
  try {
    result = await rotateSecrets(db, { from, to });
  } finally {
    await db.close();
  }
  say(`re-wrapped ${result.rewrapped} secret(s) from master key ${from.id} to ${to.id}`);
  if (result.failed.length > 0) {
    say(`could not unwrap ${result.failed.length} record(s) with key ${from.id}: ${result.failed.join(", ")}`);
  }
  const left = Object.entries(result.remaining);
  if (left.length === 0) {
    say("every stored secret is now under the new key; SECRET_ENCRYPTION_KEY_PREVIOUS can be removed");
    return;
  }
  say(`still not under ${to.id}: ${left.map(([id, n]) => `${n} under ${id}`).join(", ")}`);
  say("keep SECRET_ENCRYPTION_KEY_PREVIOUS and run secrets:rotate again once every service uses the new key");
  process.exitCode = 1;
}

/** `modelfaucet secrets <action>`: only `rotate` so far. */
export async function secretsCommand([action, ...rest]: string[]): Promise<void> {
  if (action !== "rotate" || rest.length > 0) {
    throw new Error(`unknown secrets action ${JSON.stringify([action, ...rest].join(" "))}; use: secrets rotate`);
  }
  await secretsRotateCommand();
}
