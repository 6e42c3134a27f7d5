import type { EnvelopeRecord } from "@modelfaucet/crypto";

/**
 * The columns an encrypted secret is stored in (provider keys, app secret
 * keys), in the order of envelopeParams. A revoked row has them all NULL.
 */
export const ENVELOPE_COLUMNS = `secret_key_id, secret_wrapped_key, secret_wrap_iv, secret_wrap_tag,
  secret_iv, secret_ciphertext, secret_tag`;

/** The envelope columns of an active row (all non-null on active rows, by CHECK). */
export interface EnvelopeRow {
  secret_key_id: string;
  secret_wrapped_key: Uint8Array;
  secret_wrap_iv: Uint8Array;
  secret_wrap_tag: Uint8Array;
  secret_iv: Uint8Array;
  secret_ciphertext: Uint8Array;
  secret_tag: Uint8Array;
}

// pg returns bytea as Buffer, PGlite as Uint8Array: copy into Buffers either way.
export const envelopeFromRow = (row: EnvelopeRow): EnvelopeRecord => ({
  keyId: row.secret_key_id,
  wrappedDataKey: Buffer.from(row.secret_wrapped_key),
  wrapIv: Buffer.from(row.secret_wrap_iv),
  wrapTag: Buffer.from(row.secret_wrap_tag),
  iv: Buffer.from(row.secret_iv),
  ciphertext: Buffer.from(row.secret_ciphertext),
  tag: Buffer.from(row.secret_tag),
});

/** The envelope columns' values, in ENVELOPE_COLUMNS order. */
export const envelopeParams = (record: EnvelopeRecord): unknown[] => [
  record.keyId,
  record.wrappedDataKey,
  record.wrapIv,
  record.wrapTag,
  record.iv,
  record.ciphertext,
  record.tag,
];
