import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bridgeConfig, upstreamTargets } from "../config/bridge-config.js";
import { startBridge, type BridgeHandle } from "../server/start-bridge.js";
import { startFakeControlApi, type FakeControlApi } from "./fake-control-api.js";
import { startFakeLocalServer, type FakeLocalServer } from "./fake-local-server.js";

/** A bridge in this process on a free port and a temporary data directory, with fake Ollama, llama.cpp and API. */
export interface BridgeFixture {
  bridge: BridgeHandle;
  url: string;
  ollama: FakeLocalServer;
  llamaCpp: FakeLocalServer;
  api: FakeControlApi;
  dataDir: string;
  close(): Promise<void>;
}

/** LM Studio and vLLM point at a port nobody listens on, so only the two fakes are found. */
export async function startBridgeFixture(options: { allowOrigins?: string[] } = {}): Promise<BridgeFixture> {
  const [ollama, llamaCpp, api] = await Promise.all([
    startFakeLocalServer("ollama"),
    startFakeLocalServer("llama_cpp"),
    startFakeControlApi(),
  ]);
  const dataDir = await mkdtemp(join(tmpdir(), "bridge-test-"));
  const closed = new URL("http://127.0.0.1:9");
  const bridge = await startBridge(
    bridgeConfig({
      port: 0,
      hosts: ["127.0.0.1"],
      allowOrigins: options.allowOrigins ?? [],
      upstreams: upstreamTargets([
        { kind: "ollama", url: new URL(ollama.url) },
        { kind: "llama_cpp", url: new URL(llamaCpp.url) },
        { kind: "lm_studio", url: closed },
        { kind: "vllm", url: closed },
      ]),
      dataDir,
      apiUrl: new URL(api.url),
    }),
  );
  return {
    bridge,
    url: bridge.urls[0] as string,
    ollama,
    llamaCpp,
    api,
    dataDir,
    close: async () => {
      await bridge.close();
      await Promise.all([ollama.close(), llamaCpp.close(), api.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it holds, or fails after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
