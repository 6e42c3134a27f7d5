import type { ChatRequest } from "@modelfaucet/contract";

/** The feature a request names: `metadata.feature_key`, else `model: "auto:<feature_key>"`. */
export function requestedFeatureKey(request: Pick<ChatRequest, "model" | "metadata">): string | undefined {
  const fromMetadata = request.metadata?.feature_key;
  if (typeof fromMetadata === "string" && fromMetadata.length > 0) return fromMetadata;
  return request.model.startsWith("auto:") ? request.model.slice("auto:".length) : undefined;
}
