import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EnvelopeRecord } from "./envelope-record.js";
import { decryptSecret } from "./decrypt-secret.js";
import { encryptSecret } from "./encrypt-secret.js";
import { createMasterKey, createSecretKeyring, decodeMasterKeyText, masterKeyId } from "./master-key.js";
import { rewrapSecret } from "./rewrap-secret.js";
import { isSecretDecryptionError, type SecretErrorReason } from "./secret-errors.js";

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);
const ringA = createSecretKeyring(KEY_A);
const ringB = createSecretKeyring(KEY_B);
const masterA = ringA.current;
const masterB = ringB.current;

const secrets = fc.string({ unit: "grapheme", maxLength: 300 });
const aads = fc.string({ minLength: 1, maxLength: 200 });
const BYTE_FIELDS = ["wrappedDataKey", "wrapIv", "wrapTag", "iv", "ciphertext", "tag"] as const;

function failsWith(reason: SecretErrorReason, work: () => unknown): boolean {
  try {
    work();
  } catch (error) {
    return isSecretDecryptionError(error) && error.reason === reason;
  }
  return false;
}

function flipByte(record: EnvelopeRecord, field: (typeof BYTE_FIELDS)[number], index: number, mask: number) {
  const copy = Buffer.from(record[field]);
  copy[index % copy.length]! ^= mask;
  return { ...record, [field]: copy };
}

describe("envelope encryption", () => {
  it("round-trips any secret under any associated data", () => {
    fc.assert(
      fc.property(secrets, aads, (secret, aad) => {
        const record = encryptSecret(secret, aad, masterA);
        expect(record.keyId).toBe(masterKeyId(KEY_A));
        expect(decryptSecret(record, aad, ringA)).toBe(secret);
      }),
    );
  });

  it("never stores the secret or the data key in clear, and uses a fresh data key and nonce each time", () => {
    const secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
    const one = encryptSecret(secret, "row:1", masterA);
    const two = encryptSecret(secret, "row:1", masterA);
    expect(one.ciphertext.equals(two.ciphertext)).toBe(false);
    expect(one.wrappedDataKey.equals(two.wrappedDataKey)).toBe(false);
    expect(one.iv.equals(two.iv)).toBe(false);
    const stored = Buffer.concat(BYTE_FIELDS.map((field) => one[field]));
    expect(stored.includes(Buffer.from(secret))).toBe(false);
    expect(stored.includes(KEY_A)).toBe(false);
  });

  it("fails authentication when any bit of any stored byte changes", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 100 }),
        aads,
        fc.constantFrom(...BYTE_FIELDS),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (secret, aad, field, index, mask) => {
          const tampered = flipByte(encryptSecret(secret, aad, masterA), field, index, mask);
          expect(failsWith("authentication_failed", () => decryptSecret(tampered, aad, ringA))).toBe(true);
        },
      ),
    );
  });

  it("fails with other associated data, so a record cannot move to another row or owner", () => {
    fc.assert(
      fc.property(secrets, aads, aads, (secret, aad, other) => {
        fc.pre(aad !== other);
        const record = encryptSecret(secret, aad, masterA);
        expect(failsWith("authentication_failed", () => decryptSecret(record, other, ringA))).toBe(true);
      }),
    );
  });

  it("refuses records of a master key it does not have, and a forged key id", () => {
    const record = encryptSecret("sk-live-0123456789abcdef", "row:1", masterA);
    expect(failsWith("key_unavailable", () => decryptSecret(record, "row:1", ringB))).toBe(true);
    const forged = { ...record, keyId: masterB.id };
    expect(failsWith("authentication_failed", () => decryptSecret(forged, "row:1", ringB))).toBe(true);
  });

  it("reports truncated fields as malformed", () => {
    const record = encryptSecret("sk-live-0123456789abcdef", "row:1", masterA);
    for (const field of ["wrappedDataKey", "wrapIv", "wrapTag", "iv", "tag"] as const) {
      const truncated = { ...record, [field]: record[field].subarray(1) };
      expect(failsWith("malformed_record", () => decryptSecret(truncated, "row:1", ringA))).toBe(true);
    }
  });

  it("error messages never contain the secret or key material", () => {
    const secret = "sk-live-do-not-leak-0123456789";
    const record = encryptSecret(secret, "row:1", masterA);
    for (const attempt of [
      () => decryptSecret(record, "row:2", ringA),
      () => decryptSecret(record, "row:1", ringB),
      () => decryptSecret(flipByte(record, "tag", 0, 1), "row:1", ringA),
    ]) {
      try {
        attempt();
        expect.unreachable();
      } catch (error) {
        const text = `${String(error)} ${JSON.stringify(error)}`;
        expect(text).not.toContain(secret);
        expect(text).not.toContain(KEY_A.toString("hex"));
      }
    }
  });
});

describe("rewrapSecret", () => {
  it("changes only the wrap, and the result decrypts under the new key alone", () => {
    fc.assert(
      fc.property(secrets, aads, (secret, aad) => {
        const before = encryptSecret(secret, aad, masterA);
        const after = rewrapSecret(before, masterA, masterB);
        expect(after.keyId).toBe(masterB.id);
        expect(after.ciphertext.equals(before.ciphertext)).toBe(true);
        expect(after.iv.equals(before.iv)).toBe(true);
        expect(after.tag.equals(before.tag)).toBe(true);
        expect(after.wrappedDataKey.equals(before.wrappedDataKey)).toBe(false);
        expect(decryptSecret(after, aad, ringB)).toBe(secret);
        expect(failsWith("key_unavailable", () => decryptSecret(after, aad, ringA))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it("is idempotent: a record already under the new key is returned unchanged", () => {
    const record = rewrapSecret(encryptSecret("sk-live-0123456789abcdef", "r", masterA), masterA, masterB);
    expect(rewrapSecret(record, masterA, masterB)).toBe(record);
  });

  it("refuses to re-wrap with the wrong old key or a tampered wrap", () => {
    const record = encryptSecret("sk-live-0123456789abcdef", "r", masterA);
    const masterC = createMasterKey(randomBytes(32));
    expect(failsWith("key_unavailable", () => rewrapSecret(record, masterC, masterB))).toBe(true);
    expect(
      failsWith("authentication_failed", () => rewrapSecret(flipByte(record, "wrapTag", 3, 8), masterA, masterB)),
    ).toBe(true);
  });

  it("decrypts with the current key first, then previous ones, during a rotation", () => {
    const both = createSecretKeyring(KEY_B, [KEY_A]);
    const old = encryptSecret("sk-old-0123456789abcdef", "r1", masterA);
    const fresh = encryptSecret("sk-new-0123456789abcdef", "r2", both.current);
    expect(fresh.keyId).toBe(masterB.id);
    expect(decryptSecret(old, "r1", both)).toBe("sk-old-0123456789abcdef");
    expect(decryptSecret(fresh, "r2", both)).toBe("sk-new-0123456789abcdef");
  });
});

describe("master keys", () => {
  it("decodes hex and base64, and names the variable (not the value) when the length is wrong", () => {
    expect(decodeMasterKeyText(KEY_A.toString("hex"), "X").equals(KEY_A)).toBe(true);
    expect(decodeMasterKeyText(KEY_A.toString("base64"), "X").equals(KEY_A)).toBe(true);
    expect(() => decodeMasterKeyText("c2hvcnQ=", "SECRET_ENCRYPTION_KEY_PREVIOUS")).toThrow(
      /^SECRET_ENCRYPTION_KEY_PREVIOUS: expected 32 bytes/,
    );
  });

  it("drops a previous key equal to the current one", () => {
    expect(createSecretKeyring(KEY_A, [KEY_A]).previous).toEqual([]);
    expect(() => createMasterKey(Buffer.alloc(16))).toThrow(RangeError);
  });
});
