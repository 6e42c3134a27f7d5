import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProviderKeyValidator,
  probeRequest,
  type ClosableProviderKeyValidator,
} from "./validate-provider-key.js";

const GOOD_KEY = "sk-test-GOODkey0123456789abcdef";
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let base: string;
let validator: ClosableProviderKeyValidator;

// A fake upstream: 200 for the good key on any provider's auth header, 401 (echoing the key, as some do) otherwise.
beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ url: request.url ?? "", headers: request.headers });
    const presented =
      request.headers["x-api-key"] ?? request.headers["x-goog-api-key"] ?? request.headers.authorization?.slice(7);
    if (request.url?.startsWith("/redirect/")) {
      response.writeHead(302, { location: "http://169.254.169.254/" }).end();
      return;
    }
    if (presented === GOOD_KEY) response.writeHead(200, { "content-type": "application/json" }).end('{"data":[]}');
    else response.writeHead(401).end(`{"error":"invalid key ${String(presented)}"}`);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  validator = createProviderKeyValidator({ allowPrivateHosts: ["127.0.0.1"], timeoutMs: 5000 });
});
afterAll(async () => {
  await validator.close();
  server.close();
});

describe("createProviderKeyValidator", () => {
  it("accepts a key the upstream's model list accepts, sending it the provider's way", async () => {
    const cases = [
      { provider: "openai_compatible", baseUrl: `${base}/v1`, path: "/v1/models", header: "authorization" },
      { provider: "anthropic", baseUrl: base, path: "/v1/models", header: "x-api-key" },
      { provider: "google", baseUrl: base, path: "/v1beta/models", header: "x-goog-api-key" },
      { provider: "openrouter", baseUrl: `${base}/api/v1`, path: "/api/v1/key", header: "authorization" },
    ] as const;
    for (const { provider, baseUrl, path, header } of cases) {
      seen.length = 0;
      expect(await validator.validate({ provider, apiKey: GOOD_KEY, baseUrl })).toEqual({ ok: true });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.url).toBe(path);
      expect(seen[0]!.headers[header]).toContain(GOOD_KEY);
    }
    expect(seen[0]!.headers["anthropic-version"]).toBeUndefined();
  });

  it("refuses a rejected key naming only the status, never what the upstream echoed", async () => {
    const result = await validator.validate({ provider: "openai", apiKey: "sk-test-BADkey0123456789", baseUrl: base });
    expect(result).toEqual({ ok: false, reason: "the provider rejected the key (HTTP 401)" });
  });

  it("does not follow redirects (a 3xx is a failed validation)", async () => {
    seen.length = 0;
    const redirected = await validator.validate({
      provider: "openai_compatible",
      apiKey: GOOD_KEY,
      baseUrl: `${base}/redirect`,
    });
    expect(redirected).toEqual({ ok: false, reason: "the provider answered HTTP 302" });
    expect(seen.map((request) => request.url)).toEqual(["/redirect/models"]);
  });

  it("never connects to a private address the operator did not allow (checked at connect time)", async () => {
    const strict = createProviderKeyValidator({
      lookup: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    try {
      seen.length = 0;
      const viaName = await strict.validate({
        provider: "openai_compatible",
        apiKey: GOOD_KEY,
        baseUrl: `http://rebind.example.com:${new URL(base).port}/v1`,
      });
      expect(viaName).toEqual({ ok: false, reason: "the provider could not be reached" });
      const direct = await strict.validate({ provider: "openai_compatible", apiKey: GOOD_KEY, baseUrl: `${base}/v1` });
      expect(direct.ok).toBe(false);
      expect(seen).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});

describe("probeRequest", () => {
  it("uses each provider's documented default endpoint", () => {
    const url = (provider: Parameters<typeof probeRequest>[0]["provider"]) =>
      probeRequest({ provider, apiKey: GOOD_KEY, baseUrl: null }).url;
    expect(url("openai")).toBe("https://api.openai.com/v1/models");
    expect(url("anthropic")).toBe("https://api.anthropic.com/v1/models");
    expect(url("google")).toBe("https://generativelanguage.googleapis.com/v1beta/models");
    expect(url("openrouter")).toBe("https://openrouter.ai/api/v1/key");
    expect(url("groq")).toBe("https://api.groq.com/openai/v1/models");
    expect(url("together")).toBe("https://api.together.xyz/v1/models");
    expect(url("mistral")).toBe("https://api.mistral.ai/v1/models");
    expect(() => url("openai_compatible")).toThrow(TypeError);
  });
});
