// Envelope encryption of stored secrets (provider keys): AES-256-GCM, a data
// key per secret, wrapped by a master key named by its id. Pure: no I/O.
export type { EnvelopeRecord } from "./envelope-record.js";
export {
  createMasterKey,
  createSecretKeyring,
  decodeMasterKeyText,
  findMasterKey,
  masterKeyId,
  MASTER_KEY_BYTES,
  type MasterKey,
  type SecretKeyring,
} from "./master-key.js";
export { encryptSecret, DATA_KEY_BYTES, MAX_SECRET_BYTES } from "./encrypt-secret.js";
export { decryptSecret } from "./decrypt-secret.js";
export { rewrapSecret } from "./rewrap-secret.js";
export { MAX_SECRET_AAD_LENGTH } from "./envelope-aad.js";
export { isSecretDecryptionError, SecretDecryptionError, type SecretErrorReason } from "./secret-errors.js";
export { maskSecret, MASKED_SHORT_SECRET, MIN_MASKABLE_SECRET_LENGTH } from "./mask-secret.js";
