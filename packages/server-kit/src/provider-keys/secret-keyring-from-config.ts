import { createSecretKeyring, decodeMasterKeyText, type SecretKeyring } from "@modelfaucet/crypto";
import type { Config } from "../config/load-config.js";
import { masterKey } from "../config/master-key.js";

/**
 * The keyring of stored secrets: SECRET_ENCRYPTION_KEY (or, outside
 * production, server-kit's development stand-in) wraps new secrets;
 * SECRET_ENCRYPTION_KEY_PREVIOUS, while set, still decrypts what it wrapped.
 */
export function secretKeyringFromConfig(config: Config): SecretKeyring {
  const previous = config.SECRET_ENCRYPTION_KEY_PREVIOUS;
  return createSecretKeyring(
    masterKey(config).key,
    previous === undefined ? [] : [decodeMasterKeyText(previous, "SECRET_ENCRYPTION_KEY_PREVIOUS")],
  );
}
