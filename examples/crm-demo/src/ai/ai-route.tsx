import type { RouteChoice, RouteMode } from "@modelfaucet/sdk";
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";

/** The route every AI call of the CRM asks for, chosen in the AI settings, and the modes the session allows. */
export interface AiRoute {
  route: RouteChoice;
  setRoute(route: RouteChoice): void;
  availableModes: readonly RouteMode[];
}

const AiRouteContext = createContext<AiRoute | null>(null);

export function AiRouteProvider({
  availableModes,
  children,
}: {
  availableModes: readonly RouteMode[];
  children: ReactNode;
}) {
  const [route, setRoute] = useState<RouteChoice>("auto");
  const value = useMemo(() => ({ route, setRoute, availableModes }), [route, availableModes]);
  return <AiRouteContext.Provider value={value}>{children}</AiRouteContext.Provider>;
}

export function useAiRoute(): AiRoute {
  const value = useContext(AiRouteContext);
  if (!value) throw new Error("useAiRoute outside AiRouteProvider");
  return value;
}
