import { describe, expect, it, vi } from "vitest";
import { FaucetError } from "../errors/faucet-error.js";
import { grant } from "../testing/scripted-fetch.js";
import type { SessionGrant } from "./session-grant.js";
import { createSessionKeeper } from "./session-keeper.js";

/** getSession returning tok_1, tok_2, … each lasting `lifetimeMs` from the fake clock's now. */
function counter(clock: { now: number }, lifetimeMs: number) {
  let count = 0;
  const getSession = vi.fn(async (): Promise<SessionGrant> => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    count += 1;
    return { ...grant(`tok_${count}`), expiresAt: clock.now + lifetimeMs };
  });
  return getSession;
}

describe("the session keeper", () => {
  it("fetches one session for ten parallel callers", async () => {
    const clock = { now: 0 };
    const getSession = counter(clock, 3_600_000);
    const keeper = createSessionKeeper(getSession, 60_000, () => clock.now);
    const grants = await Promise.all(Array.from({ length: 10 }, () => keeper.current()));
    expect(getSession).toHaveBeenCalledTimes(1);
    expect(new Set(grants.map((held) => held.token))).toEqual(new Set(["tok_1"]));
  });

  it("renews refreshSkewMs before expiry, or at half the lifetime of a short session", async () => {
    const clock = { now: 0 };
    const getSession = counter(clock, 3_600_000);
    const keeper = createSessionKeeper(getSession, 60_000, () => clock.now);
    await keeper.current();
    clock.now = 3_600_000 - 60_001;
    expect((await keeper.current()).token).toBe("tok_1");
    clock.now = 3_600_000 - 60_000;
    expect((await keeper.current()).token).toBe("tok_2");

    const short = counter({ now: 0 }, 10_000);
    const shortKeeper = createSessionKeeper(short, 60_000, () => clock.now);
    clock.now = 0;
    await shortKeeper.current();
    clock.now = 4_999;
    await shortKeeper.current();
    expect(short).toHaveBeenCalledTimes(1);
    clock.now = 5_000;
    await shortKeeper.current();
    expect(short).toHaveBeenCalledTimes(2);
  });

  it("renews once for every caller that found the same token expired", async () => {
    const clock = { now: 0 };
    const getSession = counter(clock, 3_600_000);
    const keeper = createSessionKeeper(getSession, 60_000, () => clock.now);
    const { token } = await keeper.current();
    const renewed = await Promise.all(Array.from({ length: 10 }, () => keeper.renew(token)));
    expect(getSession).toHaveBeenCalledTimes(2);
    expect(new Set(renewed.map((held) => held.token))).toEqual(new Set(["tok_2"]));
    // A caller that saw tok_1 expire after tok_2 was fetched gets tok_2 as is.
    expect((await keeper.renew(token)).token).toBe("tok_2");
    expect(getSession).toHaveBeenCalledTimes(2);
  });

  it("refuses a getSession answer that is not a session", async () => {
    const keeper = createSessionKeeper(async () => ({ token: "" }) as SessionGrant, 0);
    const error = await keeper.current().catch((caught: unknown) => caught);
    expect(FaucetError.is(error, "invalid_session")).toBe(true);
  });
});
