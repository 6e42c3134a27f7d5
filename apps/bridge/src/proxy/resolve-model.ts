import { BridgeError } from "../server/http-reply.js";
import type { UpstreamTarget } from "../upstreams/upstream-kinds.js";

/** Where a bridge model id goes: the server of its kind, under the server's own id. */
export interface ModelRoute {
  target: UpstreamTarget;
  /** The id the local server knows the model by (`qwen2.5:7b` for `ollama/qwen2.5:7b`). */
  upstreamModel: string;
}

/** `<kind>/<id>` → the kind's server and `<id>`; anything else is 404 naming `model`. */
export function resolveModel(upstreams: readonly UpstreamTarget[], model: unknown): ModelRoute {
  if (typeof model !== "string" || model.length === 0) {
    throw new BridgeError("invalid_request", "Name the model, e.g. ollama/qwen2.5:7b.", { param: "model" });
  }
  const slash = model.indexOf("/");
  const target = slash > 0 ? upstreams.find((upstream) => upstream.kind === model.slice(0, slash)) : undefined;
  if (target === undefined || slash === model.length - 1) {
    const kinds = upstreams.map((upstream) => `${upstream.kind}/`).join(", ");
    throw new BridgeError("not_found", `No local model ${JSON.stringify(model)}: ids start with ${kinds}.`, {
      param: "model",
    });
  }
  return { target, upstreamModel: model.slice(slash + 1) };
}
