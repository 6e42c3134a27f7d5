// GET /v1/user/usage (session): an end user's own requests, newest first,
// keyset-paginated, with what each cost them — never another user's, and
// never the price split. `request_id` narrows it to one request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSdkStack, type SdkStack } from "./helpers/sdk-stack.js";

let sdk: SdkStack;
beforeAll(async () => {
  sdk = await startSdkStack();
});
afterAll(async () => {
  await sdk.close();
});

const chat = { model: "mock-small", messages: [{ role: "user" as const, content: "Hi" }] };

async function usage(token: string, query: string) {
  const response = await fetch(`${sdk.stack.apiUrl}/v1/user/usage${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    body: (await response.json()) as { items: Array<{ request_id: string }>; error: { code: string } },
  };
}

describe("GET /v1/user/usage", () => {
  it("pages through the user's own requests, newest first, each with its price", async () => {
    const mine = await sdk.user("history@example.com", { usd: "1.00" });
    const other = await sdk.user("someone-else@example.com", { usd: "1.00" });
    const requestIds: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      requestIds.push((await mine.faucet.chat.create(chat)).modelfaucet.request_id);
      await other.faucet.chat.create(chat);
    }
    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null | undefined;
    do {
      const page = await mine.faucet.wallet.history({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.map((item) => item.request_id)).toEqual(requestIds.reverse());
    for (const item of seen) {
      const event = await sdk.usageEvent(item.request_id as string);
      expect(item).toEqual({
        request_id: event!.request_id,
        feature_key: "chat",
        route_mode: "platform",
        provider: "mock",
        model: "mock-small",
        input_tokens: event!.input_tokens,
        cached_tokens: event!.cached_tokens,
        output_tokens: event!.output_tokens,
        price_usd: expect.stringMatching(/^0\.\d{8}$/),
        created_at: (event!.created_at as Date).toISOString(),
      });
      expect(BigInt((item.price_usd as string).replace(".", ""))).toBe(BigInt(event!.retail_units as string));
    }
  });

  it("request_id narrows the list to that request, and only the user's own", async () => {
    const mine = await sdk.user("one-request@example.com", { usd: "1.00" });
    const other = await sdk.user("not-mine@example.com", { usd: "1.00" });
    const { request_id: requestId } = (await mine.faucet.chat.create(chat)).modelfaucet;
    const token = (await sdk.minter.mint({ publicAppId: sdk.publicAppId, externalUserId: "one-request@example.com" }))
      .token;
    const found = await usage(token, `?request_id=${requestId}`);
    expect(found.body.items.map((item) => item.request_id)).toEqual([requestId]);
    expect(await other.faucet.wallet.history()).toEqual({ items: [], next_cursor: null });
  });

  it("refuses a bad query with the envelope, and a request without a session with 401", async () => {
    const { token } = await sdk.minter.mint({ publicAppId: sdk.publicAppId, externalUserId: "bad-query@example.com" });
    for (const query of ["?limit=0", "?limit=501", "?cursor=not-a-cursor", `?request_id=${"x".repeat(129)}`]) {
      const refused = await usage(token, query);
      expect(refused.status, query).toBe(400);
      expect(refused.body.error.code).toBe("invalid_request");
    }
    const anonymous = await fetch(`${sdk.stack.apiUrl}/v1/user/usage`);
    expect(anonymous.status).toBe(401);
  });
});
