// local.detect probes the Local Bridge (CONTRACT.md: GET /health and
// GET /v1/models on 127.0.0.1:8787) with a short timeout, here against a
// stand-in bridge on a free loopback port.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { scriptedFetch } from "../testing/scripted-fetch.js";
import { detectLocalBridge } from "./detect-local-bridge.js";

let server: Server | undefined;
async function closeBridge() {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
}
afterEach(closeBridge);

/** A bridge answering `routes` (path → JSON), or never answering when `routes` is "hang". */
async function bridge(routes: Record<string, unknown> | "hang"): Promise<string> {
  server = createServer((request, response) => {
    if (routes === "hang") return;
    const body = routes[request.url ?? ""];
    response.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    response.end(JSON.stringify(body ?? { error: "not found" }));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const fetchImpl: typeof fetch = (input, init) => fetch(input, init);

describe("local.detect", () => {
  it("is available with the bridge's models", async () => {
    const url = await bridge({
      "/health": { status: "ok" },
      "/v1/models": { object: "list", data: [{ id: "llama3.2", object: "model" }, { object: "model" }] },
    });
    expect(await detectLocalBridge(fetchImpl, { url })).toEqual({
      status: "available",
      models: [{ id: "llama3.2", object: "model" }],
    });
  });

  it("is unavailable when nothing listens, nothing answers in time, or no model is served", async () => {
    const closed = await bridge({});
    await closeBridge();
    expect(await detectLocalBridge(fetchImpl, { url: closed })).toEqual({ status: "unavailable", models: [] });

    const hanging = await bridge("hang");
    const started = Date.now();
    expect(await detectLocalBridge(fetchImpl, { url: hanging, timeoutMs: 200 })).toEqual({
      status: "unavailable",
      models: [],
    });
    expect(Date.now() - started).toBeLessThan(2000);

    await closeBridge();
    const empty = await bridge({ "/health": { status: "ok" }, "/v1/models": { object: "list", data: [] } });
    expect((await detectLocalBridge(fetchImpl, { url: empty })).status).toBe("unavailable");
  });

  it("is blocked when the bridge answers but the page may not read it (CORS)", async () => {
    // In a browser a CORS refusal rejects like a closed port; only the no-cors probe gets through.
    const { fetch: browserFetch, seen } = scriptedFetch(
      () => Promise.reject(new TypeError("Failed to fetch")),
      () => new Response(null, { status: 200 }),
    );
    expect(await detectLocalBridge(browserFetch)).toEqual({ status: "blocked", models: [] });
    expect(seen.map((request) => request.url)).toEqual([
      "http://127.0.0.1:8787/health",
      "http://127.0.0.1:8787/health",
    ]);
  });
});
