import { useLocalBridge } from "@modelfaucet/react";
import { useAiRoute } from "./ai-route.js";
import type { FeatureKey } from "./features.js";

/**
 * The `model` a feature's request names. On the cloud routes,
 * `auto:<feature>`: the Gateway takes the feature's default model. A call
 * that goes to the Local Bridge must name one of the models the bridge
 * serves instead — the route `local`, or `auto` when the feature prefers
 * local and the bridge answers (as the SDK decides) — so the CRM picks one:
 * an embedding model (its id says "embed") for search, another for chat.
 */
export function useFeatureModel(feature: FeatureKey, kind: "chat" | "embedding"): string {
  const { route, availableModes } = useAiRoute();
  const bridge = useLocalBridge();
  const goesLocal =
    route === "local" || (route === "auto" && availableModes[0] === "local" && bridge.status === "available");
  const wanted = bridge.models.filter((model) => /embed/i.test(model.id) === (kind === "embedding"));
  const model = goesLocal ? (wanted[0] ?? bridge.models[0]) : undefined;
  return model?.id ?? `auto:${feature}`;
}
