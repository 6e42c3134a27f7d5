// The SDK's signUserAssertion is the one the API checks (README, "Signed
// sessions"): the SDK cannot depend on the private @modelfaucet/crypto, so it
// makes the same HMAC itself — proved equal, and accepted by POST /v1/sessions.
import { signUserAssertion as cryptoAssertion } from "@modelfaucet/crypto";
import { signUserAssertion } from "@modelfaucet/sdk/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSdkStack, type SdkStack } from "./helpers/sdk-stack.js";

let sdk: SdkStack;
beforeAll(async () => {
  sdk = await startSdkStack();
});
afterAll(async () => {
  await sdk.close();
});

describe("signUserAssertion of @modelfaucet/sdk/server", () => {
  it("makes the HMAC @modelfaucet/crypto makes, for any app, user and expiry", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.nat(),
        (secretKey, appId, user, expiresAt) => {
          const made = signUserAssertion({
            secretKey,
            publicAppId: appId,
            externalUserId: user,
            expiresAtSeconds: expiresAt,
          });
          expect(made).toEqual({
            user_assertion: cryptoAssertion(secretKey, appId, user, expiresAt),
            assertion_expires_at: expiresAt,
          });
        },
      ),
    );
  });

  it("mints a session without the secret key, and only for the user it names", async () => {
    const assertion = signUserAssertion({
      secretKey: sdk.secretKey,
      publicAppId: sdk.publicAppId,
      externalUserId: "asserted@example.com",
    });
    const mint = (user: string) =>
      fetch(`${sdk.stack.apiUrl}/v1/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ public_app_id: sdk.publicAppId, external_user_id: user, ...assertion }),
      });
    expect((await mint("asserted@example.com")).status).toBe(200);
    expect((await mint("someone-else@example.com")).status).toBe(403);
    expect(assertion.assertion_expires_at - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(300);
  });
});
