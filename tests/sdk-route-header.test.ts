// x-modelfaucet-route (CONTRACT.md, "Per-request route choice"): a request
// may narrow its routes to one mode, always within the feature's
// route_preference. A mode the policy does not allow is 409
// no_available_route — never a silent switch to another route; `local` is
// 503 local_bridge_unavailable, as the cloud never serves it; anything else
// in the header is 400 naming it. Chat, embeddings and responses alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSdkStack, type SdkStack } from "./helpers/sdk-stack.js";

let sdk: SdkStack;
let tokens: Record<"chat" | "byok_first" | "local_first", string>;
beforeAll(async () => {
  sdk = await startSdkStack();
  const tokenOf = async (feature: keyof typeof tokens) =>
    (await sdk.minter.mint({ publicAppId: sdk.publicAppId, externalUserId: "router@example.com", featureKey: feature }))
      .token;
  tokens = {
    chat: await tokenOf("chat"),
    byok_first: await tokenOf("byok_first"),
    local_first: await tokenOf("local_first"),
  };
  const wallet = (await (
    await fetch(`${sdk.stack.apiUrl}/v1/user/wallet`, { headers: { authorization: `Bearer ${tokens.chat}` } })
  ).json()) as { wallet_id: string };
  await sdk.stack.admin("POST", `/v1/admin/wallets/${wallet.wallet_id}/credit-test-balance`, { amount_usd: "1.00" });
});
afterAll(async () => {
  await sdk.close();
});

interface Answer {
  error: { code: string; message: string; param: string | null };
  modelfaucet: { route_mode: string };
}

const BODIES = {
  "chat/completions": { model: "mock-small", messages: [{ role: "user", content: "Hi" }] },
  embeddings: { model: "mock-embed", input: "rivers" },
  responses: { model: "mock-small", input: "Hi" },
};

async function call(
  feature: keyof typeof tokens,
  route: string | undefined,
  endpoint: keyof typeof BODIES = "chat/completions",
) {
  const response = await fetch(`${sdk.stack.gatewayUrl}/v1/${endpoint}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${tokens[feature]}`,
      "content-type": "application/json",
      ...(route === undefined ? {} : { "x-modelfaucet-route": route }),
    },
    body: JSON.stringify(BODIES[endpoint]),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

describe("x-modelfaucet-route", () => {
  it("auto, or a mode the feature allows, is served on that mode", async () => {
    expect((await call("byok_first", "auto")).body.modelfaucet.route_mode).toBe("platform");
    expect((await call("byok_first", "platform")).body.modelfaucet.route_mode).toBe("platform");
    expect((await call("chat", undefined)).body.modelfaucet.route_mode).toBe("platform");
  });

  it("a mode the feature's policy does not allow is 409 no_available_route, on every endpoint", async () => {
    for (const endpoint of Object.keys(BODIES) as Array<keyof typeof BODIES>) {
      const refused = await call("chat", "byok", endpoint);
      expect(refused.status, endpoint).toBe(409);
      expect(refused.body.error).toMatchObject({ code: "no_available_route" });
      expect(refused.body.error.message).toContain('"byok"');
    }
    expect((await call("chat", "developer_key")).status).toBe(409);
    expect((await call("chat", "local")).status).toBe(409);
  });

  it("an allowed mode without a credential is 503 no_available_route, never another route", async () => {
    const byok = await call("byok_first", "byok");
    expect(byok.status).toBe(503);
    expect(byok.body.error.code).toBe("no_available_route");
  });

  it("local, where allowed, is 503 local_bridge_unavailable: the cloud never serves it", async () => {
    const local = await call("local_first", "local");
    expect(local.status).toBe(503);
    expect(local.body.error.code).toBe("local_bridge_unavailable");
    expect((await call("local_first", "platform")).body.modelfaucet.route_mode).toBe("platform");
  });

  it("any other value is 400 naming the header, and nothing is held", async () => {
    for (const value of ["cloud", "PLATFORM", "platform,byok", ""]) {
      const refused = await call("chat", value);
      expect(refused.status, value).toBe(400);
      expect(refused.body.error).toMatchObject({ code: "invalid_request", param: "x-modelfaucet-route" });
    }
    expect(await sdk.stack.reconciled()).toBe(true);
  });
});
