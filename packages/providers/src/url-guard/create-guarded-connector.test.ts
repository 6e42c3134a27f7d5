import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool, type buildConnector } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedConnector, guardConnector } from "./create-guarded-connector.js";
import { resolveAndCheck } from "./resolve-and-check.js";
import { createUrlGuardPolicy, type ResolvedAddress, type UrlGuardLookup } from "./url-guard-policy.js";
import { UrlGuardError, URL_GUARD_ERROR_CODE } from "./url-guard-error.js";

/**
 * A fake resolver: names map to fixed addresses, unknown names fail like
 * getaddrinfo does. Every call is recorded. No test here sends a DNS query
 * or a packet to anything but 127.0.0.1.
 */
function fakeLookup(table: Record<string, readonly string[]>): UrlGuardLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<readonly ResolvedAddress[]> => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (addresses === undefined) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    }
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
}

let server: Server;
let port: number;
let connections = 0;
const hostHeaders: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hostHeaders.push(request.headers.host ?? "");
    response.end("reached");
  });
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function requestThrough(origin: string, connect: buildConnector.connector): Promise<string> {
  const pool = new Pool(origin, { connect });
  try {
    const response = await pool.request({ path: "/", method: "GET" });
    return await response.body.text();
  } finally {
    await pool.close();
  }
}

describe("createGuardedConnector", () => {
  it("refuses a name that resolves to 127.0.0.1 before any socket opens", async () => {
    const lookup = fakeLookup({ "evil.example": ["127.0.0.1"] });
    const before = connections;
    const failure = requestThrough(`http://evil.example:${port}`, createGuardedConnector({ lookup }));
    await expect(failure).rejects.toBeInstanceOf(UrlGuardError);
    await expect(failure).rejects.toMatchObject({
      code: URL_GUARD_ERROR_CODE,
      reason: "blocked_address",
      category: "loopback",
    });
    expect(lookup.calls).toEqual(["evil.example"]);
    expect(connections).toBe(before);
  });

  it("connects to the checked address when the operator allows the host", async () => {
    const lookup = fakeLookup({ "evil.example": ["127.0.0.1"] });
    const before = connections;
    const connect = createGuardedConnector({ lookup, allowPrivateHosts: ["evil.example"] });
    await expect(requestThrough(`http://evil.example:${port}`, connect)).resolves.toBe("reached");
    expect(connections).toBe(before + 1);
    expect(hostHeaders.at(-1)).toBe(`evil.example:${port}`);
    // Resolved once, by the guard; the socket got the IP, so nothing re-resolved the name.
    expect(lookup.calls).toEqual(["evil.example"]);
  });

  it("refuses IP literals in blocked ranges without resolving anything", async () => {
    const lookup = fakeLookup({});
    const before = connections;
    await expect(requestThrough(`http://127.0.0.1:${port}`, createGuardedConnector({ lookup }))).rejects.toMatchObject({
      code: URL_GUARD_ERROR_CODE,
      category: "loopback",
    });
    await expect(requestThrough(`http://[::1]:${port}`, createGuardedConnector({ lookup }))).rejects.toMatchObject({
      code: URL_GUARD_ERROR_CODE,
    });
    expect(lookup.calls).toEqual([]);
    expect(connections).toBe(before);
  });

  it("refuses names the store-time check refuses, before DNS", async () => {
    const lookup = fakeLookup({ localhost: ["127.0.0.1"] });
    await expect(requestThrough(`http://localhost:${port}`, createGuardedConnector({ lookup }))).rejects.toMatchObject({
      code: URL_GUARD_ERROR_CODE,
      reason: "blocked_hostname",
    });
    expect(lookup.calls).toEqual([]);
  });

  it("passes resolver failures on as they are (so EAI_AGAIN stays retryable)", async () => {
    const lookup = fakeLookup({});
    await expect(
      requestThrough(`http://unknown.example:${port}`, createGuardedConnector({ lookup })),
    ).rejects.toMatchObject({ code: "ENOTFOUND" });
  });

  it("validates its socket options", () => {
    expect(() => createGuardedConnector({ connectTimeoutMs: 0 })).toThrow(/connectTimeoutMs/);
    expect(() => createGuardedConnector({ maxCachedSessions: -1 })).toThrow(/maxCachedSessions/);
    expect(() => createGuardedConnector({ lookupTimeoutMs: 1.5 })).toThrow(/lookupTimeoutMs/);
  });
});

describe("guardConnector (what reaches the socket)", () => {
  function recordingInner(): buildConnector.connector & { seen: buildConnector.Options[] } {
    const seen: buildConnector.Options[] = [];
    const inner: buildConnector.connector = (options, callback) => {
      seen.push(options);
      callback(new Error("inner connector reached"), null);
    };
    return Object.assign(inner, { seen });
  }

  function connectOnce(connector: buildConnector.connector, options: buildConnector.Options): Promise<Error | null> {
    return new Promise((resolve) => connector(options, (...args) => resolve(args[0])));
  }

  const https = (hostname: string): buildConnector.Options => ({
    hostname,
    host: `${hostname}:443`,
    protocol: "https:",
    port: "443",
  });

  it("hands the checked IP to the socket and keeps the name for SNI", async () => {
    const inner = recordingInner();
    const policy = createUrlGuardPolicy({ lookup: fakeLookup({ "api.example": ["93.184.216.34", "2606:2800::1"] }) });
    await connectOnce(guardConnector(inner, policy), https("api.example"));
    expect(inner.seen).toHaveLength(1);
    expect(inner.seen[0]).toMatchObject({ hostname: "93.184.216.34", servername: "api.example", port: "443" });
  });

  it("refuses when ANY resolved address is blocked (rebinding with mixed answers)", async () => {
    const inner = recordingInner();
    const policy = createUrlGuardPolicy({
      lookup: fakeLookup({ "rebind.example": ["93.184.216.34", "127.0.0.1"] }),
    });
    const error = await connectOnce(guardConnector(inner, policy), https("rebind.example"));
    expect(error).toMatchObject({ code: URL_GUARD_ERROR_CODE, category: "loopback" });
    expect(inner.seen).toHaveLength(0);
  });

  it("re-checks on every connection, so a later private answer is refused", async () => {
    const inner = recordingInner();
    const answers = [["93.184.216.34"], ["10.0.0.7"]];
    const lookup: UrlGuardLookup = async () => (answers.shift() ?? []).map((address) => ({ address, family: 4 }));
    const connector = guardConnector(inner, createUrlGuardPolicy({ lookup }));
    await connectOnce(connector, https("flip.example"));
    const second = await connectOnce(connector, https("flip.example"));
    expect(second).toMatchObject({ code: URL_GUARD_ERROR_CODE, category: "private" });
    expect(inner.seen.map((options) => options.hostname)).toEqual(["93.184.216.34"]);
  });

  it("never lets an allowed name reach a metadata address", async () => {
    const inner = recordingInner();
    const policy = createUrlGuardPolicy({
      allowPrivateHosts: ["vllm.corp.example"],
      lookup: fakeLookup({ "vllm.corp.example": ["169.254.169.254"] }),
    });
    const error = await connectOnce(guardConnector(inner, policy), https("vllm.corp.example"));
    expect(error).toMatchObject({ code: URL_GUARD_ERROR_CODE, category: "metadata" });
    expect(inner.seen).toHaveLength(0);
  });

  it("refuses unix sockets", async () => {
    const inner = recordingInner();
    const policy = createUrlGuardPolicy({ lookup: fakeLookup({ "api.example": ["93.184.216.34"] }) });
    const error = await connectOnce(guardConnector(inner, policy), {
      ...https("api.example"),
      socketPath: "/var/run/docker.sock",
    });
    expect(error).toMatchObject({ code: URL_GUARD_ERROR_CODE, reason: "socket_path_not_allowed" });
    expect(inner.seen).toHaveLength(0);
  });
});

describe("resolveAndCheck", () => {
  it("returns every checked address of a public name", async () => {
    const lookup = fakeLookup({ "api.example": ["1.1.1.1", "2606:4700::1111"] });
    await expect(resolveAndCheck("API.Example.", { lookup })).resolves.toEqual({
      ok: true,
      hostname: "api.example",
      addresses: [
        { address: "1.1.1.1", family: 4 },
        { address: "2606:4700::1111", family: 6 },
      ],
    });
  });

  it("refuses names resolving to mapped, NAT64 or link-local forms of blocked addresses", async () => {
    const lookup = fakeLookup({
      "a.example": ["::ffff:127.0.0.1"],
      "b.example": ["64:ff9b::a9fe:a9fe"],
      "c.example": ["fe80::1%eth0"],
      "d.example": ["not-an-address"],
    });
    await expect(resolveAndCheck("a.example", { lookup })).resolves.toMatchObject({ ok: false, category: "loopback" });
    await expect(resolveAndCheck("b.example", { lookup })).resolves.toMatchObject({ ok: false, category: "metadata" });
    await expect(resolveAndCheck("c.example", { lookup })).resolves.toMatchObject({
      ok: false,
      category: "link_local",
    });
    await expect(resolveAndCheck("d.example", { lookup })).resolves.toMatchObject({ ok: false, category: "reserved" });
  });

  it("bounds resolution time and refuses empty answers", async () => {
    const never: UrlGuardLookup = () => new Promise(() => undefined);
    await expect(resolveAndCheck("slow.example", { lookup: never, lookupTimeoutMs: 20 })).resolves.toMatchObject({
      ok: false,
      reason: "lookup_timeout",
    });
    await expect(resolveAndCheck("empty.example", { lookup: async () => [] })).resolves.toMatchObject({
      ok: false,
      reason: "lookup_failed",
    });
  });

  it("accepts public IP literals without resolving", async () => {
    const lookup = fakeLookup({});
    await expect(resolveAndCheck("[2606:4700::1111]", { lookup })).resolves.toMatchObject({
      ok: true,
      addresses: [{ address: "2606:4700::1111", family: 6 }],
    });
    expect(lookup.calls).toEqual([]);
  });
});
