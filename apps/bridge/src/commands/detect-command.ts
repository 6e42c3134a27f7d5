import { UpstreamPools } from "@modelfaucet/providers";
import { upstreamTargets } from "../config/bridge-config.js";
import { bridgeModelId, detectUpstreams, openAIModelList } from "../upstreams/detect-upstreams.js";
import type { DetectedUpstream } from "../upstreams/probe-upstream.js";
import type { UpstreamTarget } from "../upstreams/upstream-kinds.js";
import { printResult, table } from "./output.js";

export interface DetectOptions {
  upstream: UpstreamTarget[];
  json: boolean;
}

/** Probes every kind of local server once, closing its connections after. */
export async function detectOnce(overrides: readonly UpstreamTarget[]): Promise<DetectedUpstream[]> {
  const pools = new UpstreamPools({ connectTimeoutMs: 1000 });
  try {
    return await detectUpstreams(pools, upstreamTargets(overrides));
  } finally {
    await pools.close();
  }
}

/** `detect`: which local model servers answer, and how fast. */
export async function detectCommand(options: DetectOptions): Promise<void> {
  const upstreams = await detectOnce(options.upstream);
  printResult(options.json, { upstreams }, () =>
    table(
      ["KIND", "URL", "STATUS", "VERSION", "MODELS", "MS", "NOTE"],
      upstreams.map((found) => [
        found.kind,
        found.url,
        found.status,
        found.version ?? "-",
        String(found.models.length),
        String(found.latency_ms),
        found.error ?? "",
      ]),
    ),
  );
}

/** `models`: the ids the bridge serves (`ollama/qwen2.5:7b`), as `GET /v1/models` lists them. */
export async function modelsCommand(options: DetectOptions): Promise<void> {
  const upstreams = await detectOnce(options.upstream);
  const list = openAIModelList(upstreams);
  printResult(options.json, list, () =>
    list.data.length === 0
      ? "No local model found (run `modelfaucet-bridge detect`)."
      : upstreams.flatMap((found) => found.models.map((model) => bridgeModelId(found, model.id))).join("\n"),
  );
}
