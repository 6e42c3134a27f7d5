/**
 * Who pays upstream for a request, as printed in the `modelfaucet` block and
 * usage rows: the platform's pooled key, the developer's own key, the end
 * user's own key (BYOK), or the end user's machine through the Local Bridge.
 */
export const ROUTE_MODES = ["platform", "developer_key", "byok", "local"] as const;

export type RouteMode = (typeof ROUTE_MODES)[number];

export function isRouteMode(value: unknown): value is RouteMode {
  return typeof value === "string" && (ROUTE_MODES as readonly string[]).includes(value);
}
