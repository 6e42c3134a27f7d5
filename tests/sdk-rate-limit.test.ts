// A 429 from the Gateway: the SDK waits out a Retry-After of at most 60 s and
// sends the request again (at most twice); a longer one reaches the caller at
// once as RateLimitError with the wait, so the app can tell its user.
import { RateLimitError } from "@modelfaucet/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { startSdkStack, type SdkStack } from "./helpers/sdk-stack.js";

const chat = { model: "mock-small", messages: [{ role: "user" as const, content: "Hi" }] };
let sdk: SdkStack | undefined;
afterEach(async () => {
  await sdk?.close();
});

/** How many requests the Gateway refused with 429, from its metrics. */
async function rateLimited(): Promise<number> {
  const metrics = await (await fetch(`${sdk!.stack.gatewayUrl}/metrics`)).text();
  return metrics
    .split("\n")
    .filter((line) => line.startsWith("modelfaucet_rate_limited_total{"))
    .reduce((total, line) => total + Number(line.split(" ").at(-1)), 0);
}

describe("a rate-limited call", () => {
  it("is sent again after the Retry-After the Gateway asked for, and succeeds", async () => {
    sdk = await startSdkStack({ GATEWAY_RATE_LIMIT_MAX_REQUESTS: "2", GATEWAY_RATE_LIMIT_WINDOW_MS: "1000" });
    const { faucet } = await sdk.user("patient@example.com", { usd: "1.00" });
    await faucet.chat.create(chat);
    await faucet.chat.create(chat);
    const started = Date.now();
    const third = await faucet.chat.create(chat);
    expect(third.modelfaucet.route_mode).toBe("platform");
    expect(await rateLimited()).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("is RateLimitError at once when the Gateway asks for more than 60 s", async () => {
    sdk = await startSdkStack({ GATEWAY_RATE_LIMIT_MAX_REQUESTS: "1", GATEWAY_RATE_LIMIT_WINDOW_MS: "120000" });
    const { faucet } = await sdk.user("hasty@example.com", { usd: "1.00" });
    await faucet.chat.create(chat);
    const error = await faucet.chat.create(chat).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: "rate_limited", status: 429, retryable: true });
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(60_000);
    expect(await rateLimited()).toBe(1);
  });
});
