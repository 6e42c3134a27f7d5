import { createHash } from "node:crypto";
import { deriveKey } from "../keyed-hash.js";

/** Bytes in a master key (AES-256). */
export const MASTER_KEY_BYTES = 32;

/**
 * One master key (SECRET_ENCRYPTION_KEY) as the envelope code uses it. `id`
 * names it on every record it wraps (first 8 hex of SHA-256 of the key: public,
 * reveals nothing usable); `wrappingKey` is derived from it with HKDF so the
 * same configured secret can key other things (user-id HMACs) without reuse.
 */
export interface MasterKey {
  readonly id: string;
  readonly wrappingKey: Buffer;
}

/**
 * Master keys a process can decrypt with: `current` wraps new secrets and is
 * tried first; `previous` (SECRET_ENCRYPTION_KEY_PREVIOUS) only decrypts
 * records not yet re-wrapped by `secrets:rotate`.
 */
export interface SecretKeyring {
  readonly current: MasterKey;
  readonly previous: readonly MasterKey[];
}

/** The key id of master key bytes: the first 8 hex characters of their SHA-256. */
export function masterKeyId(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 8);
}

/** A MasterKey from 32 raw bytes; throws RangeError (without the bytes) on any other length. */
export function createMasterKey(bytes: Buffer): MasterKey {
  if (!Buffer.isBuffer(bytes) || bytes.length !== MASTER_KEY_BYTES) {
    throw new RangeError(`a master key must be ${MASTER_KEY_BYTES} bytes`);
  }
  return Object.freeze({ id: masterKeyId(bytes), wrappingKey: deriveKey(bytes, "secret-envelope-wrap") });
}

/**
 * A keyring from the current key and any previous ones. A previous key with
 * the current key's id (the same key configured twice) is dropped.
 */
export function createSecretKeyring(current: Buffer, previous: readonly Buffer[] = []): SecretKeyring {
  const currentKey = createMasterKey(current);
  const others = previous.map(createMasterKey).filter((key) => key.id !== currentKey.id);
  return Object.freeze({ current: currentKey, previous: Object.freeze(others) });
}

/** The key whose id a record names: the current key first, then previous ones; undefined when none matches. */
export function findMasterKey(keyring: SecretKeyring, keyId: string): MasterKey | undefined {
  if (keyring.current.id === keyId) return keyring.current;
  return keyring.previous.find((key) => key.id === keyId);
}

/**
 * Master key bytes from their configured text: 64 hex characters or base64 of
 * 32 bytes (the SECRET_ENCRYPTION_KEY format, decoded as server-kit's
 * `masterKey(config)` does). Throws RangeError naming `variable`, never the value.
 */
export function decodeMasterKeyText(value: string, variable: string): Buffer {
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new RangeError(`${variable}: expected ${MASTER_KEY_BYTES} bytes as 64 hex characters or base64`);
  }
  return bytes;
}
