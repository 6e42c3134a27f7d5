import type { SessionKeeper } from "../session/session-keeper.js";
import type { RouteMode } from "../wire-types.js";
import { newRequestId } from "./request-id.js";
import { attempt, withRetries } from "./attempt.js";

/** `"auto"` (the feature's preference order) or one mode of `availableModes`. */
export type RouteChoice = "auto" | RouteMode;

/** What every call takes. */
export interface CallOptions {
  /** Aborts the call; a retry never follows an abort. */
  signal?: AbortSignal | undefined;
  /** Limits the Gateway's routes to one mode (`x-modelfaucet-route`); a mode the feature does not allow is NoRouteError. */
  route?: RouteChoice | undefined;
}

export interface RequestSpec {
  /** The Gateway (paths after its `/v1`) or the Control API (absolute paths). */
  service: "gateway" | "api";
  method: "GET" | "POST" | "DELETE";
  path: string;
  body?: unknown;
  /** Sent as `x-request-id`; a new one when not given. */
  requestId?: string | undefined;
  options?: CallOptions | undefined;
}

export interface Transport {
  /** The answer once it is a success (its body unread), after session renewal and retries; else the typed error. */
  send(spec: RequestSpec): Promise<Response>;
  json<T>(spec: RequestSpec): Promise<T>;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/**
 * Sends the SDK's calls with the session as bearer. A 401 `expired_session`
 * renews the session once and sends the request again — the answer was an
 * error, so nothing of it reached the caller. Retryable failures are retried
 * as retryDelayMs says; a stream that has begun is never retried (its
 * answer is a success, so it never comes back here).
 */
export function createTransport(deps: {
  sessions: SessionKeeper;
  apiBaseUrl: string;
  fetch: typeof fetch;
  maxRetries: number;
}): Transport {
  function send({ service, method, path, body, requestId = newRequestId(), options = {} }: RequestSpec) {
    const { signal, route } = options;
    let renewed = false;
    return withRetries(
      async () => {
        for (;;) {
          const grant = await deps.sessions.current();
          const base = trimSlash(service === "gateway" ? grant.gatewayBaseUrl : deps.apiBaseUrl);
          const headers: Record<string, string> = { authorization: `Bearer ${grant.token}`, "x-request-id": requestId };
          if (body !== undefined) headers["content-type"] = "application/json";
          if (route !== undefined) headers["x-modelfaucet-route"] = route;
          const init = {
            method,
            headers,
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: signal ?? null,
          };
          const outcome = await attempt(deps.fetch, `${base}${path}`, init, requestId);
          if (outcome.error?.code !== "expired_session" || renewed) return outcome;
          renewed = true;
          await deps.sessions.renew(grant.token);
        }
      },
      { signal, idempotent: method === "GET", maxRetries: deps.maxRetries },
    );
  }

  return {
    send,
    async json<T>(spec: RequestSpec) {
      const response = await send(spec);
      return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
    },
  };
}
