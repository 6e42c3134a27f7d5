import { AppError, ROUTE_MODES, type RouteMode } from "@modelfaucet/core";

/** The header a client limits a request's routes with (CONTRACT.md, "Per-request route choice"). */
export const ROUTE_HEADER = "x-modelfaucet-route";

/** `auto`: every route the feature allows, in its order; a mode: only that mode's routes. */
export type RouteChoice = "auto" | RouteMode;

const CHOICES: readonly RouteChoice[] = ["auto", ...ROUTE_MODES];

/** The route a request asks for: `auto` without the header; any value but a choice is 400 naming the header. */
export function requestedRoute(headers: Record<string, string | string[] | undefined>): RouteChoice {
  const value = headers[ROUTE_HEADER];
  if (value === undefined) return "auto";
  const choice = CHOICES.find((candidate) => candidate === value);
  if (choice) return choice;
  throw new AppError("invalid_request", `The ${ROUTE_HEADER} header must be one of ${CHOICES.join(", ")}.`, {
    param: ROUTE_HEADER,
  });
}
