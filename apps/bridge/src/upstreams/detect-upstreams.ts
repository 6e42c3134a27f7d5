import type { UpstreamPools } from "@modelfaucet/providers";
import { PROBE_TIMEOUT_MS, probeUpstream, type DetectedUpstream } from "./probe-upstream.js";
import type { UpstreamTarget } from "./upstream-kinds.js";

/** Probes every target at once: the whole detection takes as long as the slowest probe, at most `timeoutMs`. */
export function detectUpstreams(
  pools: UpstreamPools,
  targets: readonly UpstreamTarget[],
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<DetectedUpstream[]> {
  return Promise.all(targets.map((target) => probeUpstream(pools, target, timeoutMs)));
}

/** Bridge model id of a server's model: `<kind>/<its id>`. */
export function bridgeModelId(upstream: Pick<DetectedUpstream, "kind">, modelId: string): string {
  return `${upstream.kind}/${modelId}`;
}

/** `GET /v1/models` of the bridge: every model of every available server, in OpenAI's list shape. */
export function openAIModelList(detected: readonly DetectedUpstream[]) {
  return {
    object: "list" as const,
    data: detected.flatMap((upstream) =>
      upstream.models.map((model) => ({
        id: bridgeModelId(upstream, model.id),
        object: "model" as const,
        created: model.created,
        owned_by: upstream.kind,
      })),
    ),
  };
}
