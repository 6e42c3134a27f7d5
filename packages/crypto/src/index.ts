// Node-only (node:crypto): what the servers need to make and check secrets.
// Browser-safe code stays in @modelfaucet/core.
export { newRequestId, resolveRequestId } from "./new-request-id.js";
export { TOKEN_PREFIX, newToken, hashToken, tokenDisplayPrefix, newId } from "./tokens.js";
export { deriveKey, hashExternalUserId, MAX_USER_ASSERTION_LIFETIME_SECONDS, signUserAssertion } from "./keyed-hash.js";

// Envelope encryption of stored secrets (provider keys, app secret keys):
// AES-256-GCM, a data key per secret, wrapped by a master key named by its id.
export type { EnvelopeRecord } from "./secrets/envelope-record.js";
export {
  createMasterKey,
  createSecretKeyring,
  decodeMasterKeyText,
  type MasterKey,
  type SecretKeyring,
} from "./secrets/master-key.js";
export { encryptSecret } from "./secrets/encrypt-secret.js";
export { decryptSecret } from "./secrets/decrypt-secret.js";
export { rewrapSecret } from "./secrets/rewrap-secret.js";
export { isSecretDecryptionError, type SecretErrorReason } from "./secrets/secret-errors.js";
export { maskSecret } from "./secrets/mask-secret.js";
