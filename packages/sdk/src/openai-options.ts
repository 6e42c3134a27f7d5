import type { RouteChoice } from "./http/transport.js";
import type { SessionKeeper } from "./session/session-keeper.js";

/** What the official `openai` client and the Vercel AI SDK's OpenAI-compatible provider take. */
export interface OpenAIOptions {
  /** The Gateway's `/v1` URL. */
  baseURL: string;
  /** The session token when the options were made; `fetch` replaces it with the current one on every call. */
  apiKey: string;
  fetch: typeof fetch;
}

async function errorCode(response: Response): Promise<unknown> {
  try {
    return ((await response.clone().json()) as { error?: { code?: unknown } }).error?.code;
  } catch {
    return undefined;
  }
}

/**
 * A fetch that sends the current session (renewed before it expires) as the
 * bearer, whatever key the client put there, and on 401 `expired_session`
 * renews it and sends the request once more — when its body can be sent
 * twice (a string, as both clients send). Anything else is the client's to
 * handle, retries included.
 */
export function sessionFetch(sessions: SessionKeeper, fetchImpl: typeof fetch, route?: RouteChoice): typeof fetch {
  return async (input, init = {}) => {
    const send = (token: string) => {
      const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set("authorization", `Bearer ${token}`);
      if (route !== undefined) headers.set("x-modelfaucet-route", route);
      return fetchImpl(input, { ...init, headers });
    };
    const { token } = await sessions.current();
    const response = await send(token);
    const replayable = !(input instanceof Request) && (init.body === undefined || typeof init.body === "string");
    if (response.status !== 401 || !replayable || (await errorCode(response)) !== "expired_session") return response;
    await response.body?.cancel();
    return send((await sessions.renew(token)).token);
  };
}
