/**
 * A secret encrypted with envelope encryption, as stored (one column each).
 *
 * - `ciphertext`/`iv`/`tag`: the secret under AES-256-GCM with a random data
 *   key of its own, the record's associated data (its owner and row id)
 *   authenticated with it, so a ciphertext moved to another row fails.
 * - `wrappedDataKey`/`wrapIv`/`wrapTag`: that data key under AES-256-GCM with
 *   the master key named by `keyId` (its id is authenticated too).
 *
 * Rotation rewrites only `keyId` and the three wrap fields.
 */
export interface EnvelopeRecord {
  /** Id of the master key that wrapped the data key (8 hex characters). */
  readonly keyId: string;
  /** The 32-byte data key, encrypted (32 bytes). */
  readonly wrappedDataKey: Buffer;
  /** 12-byte GCM nonce of the wrap. */
  readonly wrapIv: Buffer;
  /** 16-byte GCM tag of the wrap. */
  readonly wrapTag: Buffer;
  /** 12-byte GCM nonce of the secret. */
  readonly iv: Buffer;
  /** The secret (UTF-8), encrypted; as long as the secret in bytes. */
  readonly ciphertext: Buffer;
  /** 16-byte GCM tag of the secret. */
  readonly tag: Buffer;
}
