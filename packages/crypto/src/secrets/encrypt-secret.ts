import { randomBytes } from "node:crypto";
import { seal } from "./aes-gcm.js";
import { dataKeyAad, secretAad } from "./envelope-aad.js";
import type { EnvelopeRecord } from "./envelope-record.js";
import type { MasterKey } from "./master-key.js";

/** Bytes in a data key (AES-256). */
export const DATA_KEY_BYTES = 32;
/** Largest secret accepted, in UTF-8 bytes: provider keys are a few hundred at most. */
export const MAX_SECRET_BYTES = 16 * 1024;

/**
 * Encrypts `secret` under a fresh random data key, and wraps that key with
 * `master`. `aad` names the record's owner and row (e.g.
 * `user_provider_keys:upk_…:usr_…`); decryption needs the same string, so a
 * record copied onto another row does not decrypt there.
 */
export function encryptSecret(secret: string, aad: string, master: MasterKey): EnvelopeRecord {
  const plaintext = Buffer.from(secret, "utf8");
  if (plaintext.length > MAX_SECRET_BYTES) throw new RangeError(`a secret may be at most ${MAX_SECRET_BYTES} bytes`);
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    const sealed = seal(dataKey, plaintext, secretAad(aad));
    const wrapped = seal(master.wrappingKey, dataKey, dataKeyAad(master.id));
    return Object.freeze({
      keyId: master.id,
      wrappedDataKey: wrapped.ciphertext,
      wrapIv: wrapped.iv,
      wrapTag: wrapped.tag,
      iv: sealed.iv,
      ciphertext: sealed.ciphertext,
      tag: sealed.tag,
    });
  } finally {
    dataKey.fill(0);
    plaintext.fill(0);
  }
}
