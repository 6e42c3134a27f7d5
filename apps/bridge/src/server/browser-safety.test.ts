import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridgeFixture, type BridgeFixture } from "../testing/index.js";

const APP = "http://localhost:5173";
const EVIL = "https://evil.example";

let fx: BridgeFixture;
beforeAll(async () => {
  fx = await startBridgeFixture({ allowOrigins: [APP] });
});
afterAll(() => fx.close());

/** A raw request, so the test sets `Host` itself as a DNS-rebinding page's browser would. */
function send(method: string, path: string, headers: Record<string, string>) {
  const { port } = new URL(fx.url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}

const corsHeaderNames = (headers: Record<string, unknown>) =>
  Object.keys(headers).filter((name) => name.startsWith("access-control-"));

describe("browser safety", () => {
  it("answers an allowed origin with its CORS headers, never *", async () => {
    const host = new URL(fx.url).host;
    const answer = await send("GET", "/v1/models", { host, origin: APP });
    expect(answer.status).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBe(APP);
    expect(answer.headers["access-control-expose-headers"]).toContain("x-request-id");
    expect(JSON.parse(answer.body).data.map((model: { id: string }) => model.id)).toEqual([
      "ollama/qwen2.5:7b",
      "llama_cpp/llama-3.2-1b",
    ]);
  });

  it("answers the preflight of an allowed origin, with Private Network Access and the SDK's headers", async () => {
    const host = new URL(fx.url).host;
    const answer = await send("OPTIONS", "/v1/chat/completions", {
      host,
      origin: APP,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type, x-modelfaucet-ticket, x-request-id, x-stainless-os, x-evil",
      "access-control-request-private-network": "true",
    });
    expect(answer.status).toBe(204);
    expect(answer.headers["access-control-allow-origin"]).toBe(APP);
    expect(answer.headers["access-control-allow-private-network"]).toBe("true");
    expect(answer.headers["access-control-allow-headers"]).toBe(
      "content-type, x-modelfaucet-ticket, x-request-id, x-stainless-os",
    );
  });

  it("gives a disallowed origin nothing: 403 without CORS headers, for preflights and calls", async () => {
    const host = new URL(fx.url).host;
    for (const [method, path] of [
      ["OPTIONS", "/v1/chat/completions"],
      ["GET", "/v1/models"],
      ["GET", "/diagnostics"],
      ["POST", "/v1/chat/completions"],
    ] as const) {
      const answer = await send(method, path, {
        host,
        origin: EVIL,
        "access-control-request-method": "POST",
        "access-control-request-private-network": "true",
      });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(corsHeaderNames(answer.headers)).toEqual([]);
      expect(JSON.parse(answer.body).error.code).toBe("forbidden");
      expect(answer.body).not.toContain("qwen");
    }
  });

  it("refuses a Host that is not the bridge's (DNS rebinding), even without an Origin", async () => {
    const { port } = new URL(fx.url);
    for (const host of [`evil.example:${port}`, `127.0.0.1.nip.io:${port}`, "localhost:1"]) {
      const answer = await send("GET", "/v1/models", { host });
      expect(answer.status, host).toBe(403);
      expect(answer.body).not.toContain("qwen");
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      expect((await send("GET", "/health", { host })).status, host).toBe(200);
    }
  });

  it("keeps the queue's command-line routes from every page, allowed or not", async () => {
    const host = new URL(fx.url).host;
    expect((await send("POST", "/queue/purge", { host, origin: APP })).status).toBe(403);
    expect((await send("GET", "/queue", { host, origin: APP })).status).toBe(403);
    expect((await send("GET", "/queue", { host })).status).toBe(200);
  });

  it("shows diagnostics without a key or ticket", async () => {
    const ticket = await fx.api.issueTicket();
    await fetch(`${fx.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-modelfaucet-ticket": ticket },
      body: JSON.stringify({ model: "ollama/qwen2.5:7b", messages: [{ role: "user", content: "hi" }] }),
    });
    const answer = await send("GET", "/diagnostics", { host: new URL(fx.url).host });
    const diagnostics = JSON.parse(answer.body);
    expect(diagnostics.upstreams.map((found: { kind: string; status: string }) => [found.kind, found.status])).toEqual([
      ["ollama", "available"],
      ["lm_studio", "unavailable"],
      ["vllm", "unavailable"],
      ["llama_cpp", "available"],
    ]);
    expect(diagnostics.queue).toEqual({ pending: expect.any(Number), dead: 0 });
    expect(answer.body).not.toContain(ticket);
  });
});
