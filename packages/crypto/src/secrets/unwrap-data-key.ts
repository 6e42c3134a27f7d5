import { GCM_IV_BYTES, GCM_TAG_BYTES, open } from "./aes-gcm.js";
import { dataKeyAad } from "./envelope-aad.js";
import { DATA_KEY_BYTES } from "./encrypt-secret.js";
import type { EnvelopeRecord } from "./envelope-record.js";
import type { MasterKey } from "./master-key.js";
import { SecretDecryptionError } from "./secret-errors.js";

/** Checks field lengths, so a truncated column is reported as malformed rather than as a crypto failure. */
export function assertWellFormed(record: EnvelopeRecord): void {
  const ok =
    typeof record.keyId === "string" &&
    record.wrappedDataKey?.length === DATA_KEY_BYTES &&
    record.wrapIv?.length === GCM_IV_BYTES &&
    record.wrapTag?.length === GCM_TAG_BYTES &&
    record.iv?.length === GCM_IV_BYTES &&
    record.tag?.length === GCM_TAG_BYTES &&
    Buffer.isBuffer(record.ciphertext);
  if (!ok) throw new SecretDecryptionError("malformed_record", String(record.keyId), "Encrypted secret is malformed.");
}

/** The record's data key, unwrapped with `master` (whose id must be the record's). The caller zeroes it after use. */
export function unwrapDataKey(record: EnvelopeRecord, master: MasterKey): Buffer {
  assertWellFormed(record);
  if (master.id !== record.keyId) {
    throw new SecretDecryptionError(
      "key_unavailable",
      record.keyId,
      `Secret was wrapped by master key ${record.keyId}, not by ${master.id}.`,
    );
  }
  const dataKey = open(
    master.wrappingKey,
    { iv: record.wrapIv, ciphertext: record.wrappedDataKey, tag: record.wrapTag },
    dataKeyAad(record.keyId),
  );
  if (dataKey === undefined) {
    throw new SecretDecryptionError(
      "authentication_failed",
      record.keyId,
      `Wrapped data key failed authentication under master key ${record.keyId}.`,
    );
  }
  return dataKey;
}
