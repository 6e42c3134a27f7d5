/** Most characters of the associated data naming a record's owner and row. */
export const MAX_SECRET_AAD_LENGTH = 1024;

// Versioned, purpose-separated associated data: a wrapped data key can never
// be mistaken for a secret ciphertext, nor a v1 record for a later format.
const SECRET_CONTEXT = "modelfaucet:secret:v1\0";
const DATA_KEY_CONTEXT = "modelfaucet:data-key:v1\0";

/** Associated data of the secret itself: binds it to its row (`aad`, e.g. `user_provider_keys:upk_…:usr_…`). */
export function secretAad(aad: string): Buffer {
  if (typeof aad !== "string" || aad.length === 0 || aad.length > MAX_SECRET_AAD_LENGTH) {
    throw new RangeError(`secret associated data must be a string of 1-${MAX_SECRET_AAD_LENGTH} characters`);
  }
  return Buffer.from(SECRET_CONTEXT + aad, "utf8");
}

/**
 * Associated data of the wrapped data key: binds it to the master key id. It
 * deliberately leaves out the row, so rotation can re-wrap a record without
 * knowing whose it is; the row binding is on the secret.
 */
export function dataKeyAad(keyId: string): Buffer {
  return Buffer.from(DATA_KEY_CONTEXT + keyId, "utf8");
}
