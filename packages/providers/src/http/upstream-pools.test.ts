import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { UpstreamPools, type UpstreamConnector } from "./upstream-pools.js";
import { createGuardedConnector } from "../url-guard/create-guarded-connector.js";

describe("UpstreamPools", () => {
  it("shares one pool per origin and bounds the number of origins", async () => {
    const pools = new UpstreamPools({ maxOrigins: 2 });
    const a = pools.get("http://127.0.0.1:1");
    expect(pools.get("http://127.0.0.1:1")).toBe(a);
    pools.get("http://127.0.0.1:2");
    pools.get("http://127.0.0.1:3");
    expect(pools.size).toBe(2);
    expect(pools.get("http://127.0.0.1:1")).not.toBe(a); // evicted, then recreated
    await pools.close();
    expect(() => pools.get("http://127.0.0.1:1")).toThrow(/closed/);
  });

  it("rejects invalid limits", () => {
    expect(() => new UpstreamPools({ connectTimeoutMs: 0 })).toThrow(/connectTimeoutMs/);
    expect(() => new UpstreamPools({ maxOrigins: 1.5 })).toThrow(/maxOrigins/);
  });

  it("opens every connection through the connector it was given", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const guarded = createGuardedConnector({ allowPrivateHosts: ["127.0.0.1"] });
    let connects = 0;
    const connect: UpstreamConnector = (options, callback) => {
      connects += 1;
      guarded(options, callback);
    };
    const pools = new UpstreamPools({ connect });
    try {
      const { body, statusCode } = await pools.get(origin).request({ path: "/", method: "GET" });
      expect([statusCode, await body.text(), connects]).toEqual([200, "ok", 1]);
    } finally {
      await pools.close();
      server.close();
    }
  });

  it("refuses a private address at connect time when given the URL guard's connector", async () => {
    const pools = new UpstreamPools({ connect: createGuardedConnector() });
    try {
      await expect(pools.get("http://127.0.0.1:9").request({ path: "/", method: "GET" })).rejects.toMatchObject({
        name: "UrlGuardError",
      });
    } finally {
      await pools.close();
    }
  });

  it("rejects a connector that is not a function", () => {
    expect(() => new UpstreamPools({ connect: "nope" as unknown as UpstreamConnector })).toThrow(/connect/);
  });
});
