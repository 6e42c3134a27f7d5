import { open } from "./aes-gcm.js";
import { secretAad } from "./envelope-aad.js";
import type { EnvelopeRecord } from "./envelope-record.js";
import { findMasterKey, type SecretKeyring } from "./master-key.js";
import { SecretDecryptionError } from "./secret-errors.js";
import { assertWellFormed, unwrapDataKey } from "./unwrap-data-key.js";

/**
 * The plaintext of `record`, which must have been encrypted with the same
 * `aad`. The master key is chosen by the record's key id — the keyring's
 * current key first, then previous ones — so records wrapped by the old key
 * keep working while `secrets:rotate` runs. Throws SecretDecryptionError
 * (`key_unavailable`, `authentication_failed`, `malformed_record`).
 */
export function decryptSecret(record: EnvelopeRecord, aad: string, keyring: SecretKeyring): string {
  assertWellFormed(record);
  const master = findMasterKey(keyring, record.keyId);
  if (master === undefined) {
    throw new SecretDecryptionError(
      "key_unavailable",
      record.keyId,
      `No configured master key has id ${record.keyId}; set it as SECRET_ENCRYPTION_KEY_PREVIOUS and run secrets:rotate.`,
    );
  }
  const dataKey = unwrapDataKey(record, master);
  try {
    const plaintext = open(dataKey, { iv: record.iv, ciphertext: record.ciphertext, tag: record.tag }, secretAad(aad));
    if (plaintext === undefined) {
      throw new SecretDecryptionError(
        "authentication_failed",
        record.keyId,
        "Encrypted secret failed authentication (altered, or read for another row).",
      );
    }
    const text = plaintext.toString("utf8");
    plaintext.fill(0);
    return text;
  } finally {
    dataKey.fill(0);
  }
}
