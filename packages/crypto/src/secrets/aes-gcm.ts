import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** GCM nonce length: 96 bits, the size GCM is specified for. */
export const GCM_IV_BYTES = 12;
/** GCM tag length: the full 128 bits. */
export const GCM_TAG_BYTES = 16;

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** AES-256-GCM with a fresh random nonce. A random 96-bit nonce per key use is safe far beyond our volumes. */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = randomBytes(GCM_IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Opens what `seal` made; returns undefined when authentication fails (never partial plaintext). */
export function open(key: Buffer, sealed: Sealed, aad: Buffer): Buffer | undefined {
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  const plaintext = decipher.update(sealed.ciphertext);
  try {
    return Buffer.concat([plaintext, decipher.final()]);
  } catch {
    plaintext.fill(0);
    return undefined;
  }
}
