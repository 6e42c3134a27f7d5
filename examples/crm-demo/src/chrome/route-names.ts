import type { RouteChoice } from "@modelfaucet/sdk";

/** Short names for the top bar's route chip (the picker itself uses @modelfaucet/react's labels). */
export const ROUTE_NAMES: Record<RouteChoice, string> = {
  auto: "automatic",
  platform: "credits",
  developer_key: "app key",
  byok: "your key",
  local: "local model",
};
