import type { RouteChoice } from "@modelfaucet/sdk";

/** How a route reads to an end user. */
export const ROUTE_LABELS: Record<RouteChoice, string> = {
  auto: "Automatic",
  platform: "Platform credits",
  developer_key: "The app's key",
  byok: "Your own key",
  local: "Local model",
};
