import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UpstreamPools } from "@modelfaucet/providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upstreamTargets } from "../config/bridge-config.js";
import { startFakeLocalServer, type FakeLocalServer } from "../testing/index.js";
import { detectUpstreams, openAIModelList } from "./detect-upstreams.js";

let ollama: FakeLocalServer;
let llamaCpp: FakeLocalServer;
let silent: Server;
let webPage: Server;
const pools = new UpstreamPools();

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  [ollama, llamaCpp] = await Promise.all([startFakeLocalServer("ollama"), startFakeLocalServer("llama_cpp")]);
  // A server that accepts and never answers, and an ordinary web server on a model server's port.
  silent = createServer(() => undefined);
  webPage = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html></html>"));
});
afterAll(async () => {
  silent.closeAllConnections();
  await Promise.all([ollama.close(), llamaCpp.close(), pools.close()]);
  await Promise.all([silent, webPage].map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("detection", () => {
  it("finds each server by its own probe, all in parallel within the ~1 s bound", async () => {
    const targets = upstreamTargets([
      { kind: "ollama", url: new URL(ollama.url) },
      { kind: "llama_cpp", url: new URL(llamaCpp.url) },
      { kind: "vllm", url: new URL(await listen(silent)) },
      { kind: "lm_studio", url: new URL(await listen(webPage)) },
    ]);
    const started = performance.now();
    const found = await detectUpstreams(pools, targets);
    const elapsed = performance.now() - started;

    expect(found.map(({ kind, status, version }) => ({ kind, status, version }))).toEqual([
      { kind: "ollama", status: "available", version: "0.6.5" },
      { kind: "lm_studio", status: "unavailable", version: null },
      { kind: "vllm", status: "unavailable", version: null },
      { kind: "llama_cpp", status: "available", version: "b5000-fake" },
    ]);
    expect(found[2]!.error).toBe("no answer within 1000 ms");
    expect(found[1]!.error).toMatch(/did not answer JSON/);
    // The silent server costs its full second; the others run beside it, not after it.
    expect(elapsed).toBeLessThan(1500);
    expect(ollama.requests.map((request) => request.path)).toEqual(["/api/version", "/v1/models"]);
    expect(llamaCpp.requests.map((request) => request.path)).toEqual(["/health", "/props", "/v1/models"]);
  });

  it("does not take an Ollama port's other tenant for Ollama", async () => {
    const [found] = await detectUpstreams(pools, [{ kind: "ollama", url: new URL(llamaCpp.url) }]);
    expect(found).toMatchObject({ status: "unavailable", error: "GET /api/version answered HTTP 404" });
  });

  it("lists models in OpenAI's shape with the kind as prefix", async () => {
    const found = await detectUpstreams(pools, [
      { kind: "ollama", url: new URL(ollama.url) },
      { kind: "llama_cpp", url: new URL(llamaCpp.url) },
    ]);
    expect(openAIModelList(found)).toEqual({
      object: "list",
      data: [
        { id: "ollama/qwen2.5:7b", object: "model", created: 1_700_000_000, owned_by: "ollama" },
        { id: "llama_cpp/llama-3.2-1b", object: "model", created: 1_700_000_000, owned_by: "llama_cpp" },
      ],
    });
  });
});
