/**
 * Why a secret could not be decrypted or re-wrapped. Messages never contain
 * key material or plaintext: they may be logged.
 *
 * - `key_unavailable`: no configured master key has the record's key id (the
 *   key was removed before `secrets:rotate` re-wrapped the record).
 * - `authentication_failed`: the record was altered, belongs to another row
 *   (associated data differs), or the master key with that id is wrong.
 * - `malformed_record`: a field has the wrong length.
 */
export type SecretErrorReason = "key_unavailable" | "authentication_failed" | "malformed_record";

export class SecretDecryptionError extends Error {
  readonly reason: SecretErrorReason;
  readonly keyId: string;

  constructor(reason: SecretErrorReason, keyId: string, message: string) {
    super(message);
    this.name = "SecretDecryptionError";
    this.reason = reason;
    this.keyId = keyId;
  }
}

export function isSecretDecryptionError(error: unknown): error is SecretDecryptionError {
  return error instanceof SecretDecryptionError;
}
