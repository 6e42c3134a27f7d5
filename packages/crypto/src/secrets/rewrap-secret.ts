import { seal } from "./aes-gcm.js";
import { dataKeyAad } from "./envelope-aad.js";
import type { EnvelopeRecord } from "./envelope-record.js";
import type { MasterKey } from "./master-key.js";
import { unwrapDataKey } from "./unwrap-data-key.js";

/**
 * The same record with its data key re-wrapped from `from` to `to`: only
 * `keyId`, `wrappedDataKey`, `wrapIv` and `wrapTag` change; the secret's
 * ciphertext, nonce and tag are untouched and the secret is never decrypted.
 * A record already wrapped by `to` is returned as it is (rotation is
 * idempotent). Throws SecretDecryptionError when `from` cannot unwrap it.
 */
export function rewrapSecret(record: EnvelopeRecord, from: MasterKey, to: MasterKey): EnvelopeRecord {
  if (record.keyId === to.id) return record;
  const dataKey = unwrapDataKey(record, from);
  try {
    const wrapped = seal(to.wrappingKey, dataKey, dataKeyAad(to.id));
    return Object.freeze({
      ...record,
      keyId: to.id,
      wrappedDataKey: wrapped.ciphertext,
      wrapIv: wrapped.iv,
      wrapTag: wrapped.tag,
    });
  } finally {
    dataKey.fill(0);
  }
}
