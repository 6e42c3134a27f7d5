import { billedUsageReader } from "./billed-usage.js";
import { openChatStream, type ChatStream } from "./chat/chat-stream.js";
import { FaucetError } from "./errors/faucet-error.js";
import { MAX_RETRIES } from "./http/retry-policy.js";
import { createTransport, type CallOptions, type RouteChoice } from "./http/transport.js";
import {
  detectLocalBridge,
  LOCAL_BRIDGE_URL,
  type DetectOptions,
  type LocalBridgeStatus,
} from "./local/detect-local-bridge.js";
import { createLocalRoute } from "./local/local-route.js";
import { routeLocalCalls } from "./local/route-local-calls.js";
import { sessionFetch, type OpenAIOptions } from "./openai-options.js";
import { openResponsesStream, type ResponsesStream } from "./responses/responses-stream.js";
import type { SessionGrant } from "./session/session-grant.js";
import { createSessionKeeper } from "./session/session-keeper.js";
import type {
  ChatCompletion,
  ChatCompletionRequest,
  CheckoutSession,
  EmbeddingsRequest,
  EmbeddingsResponse,
  ModelList,
  ProviderKey,
  ProviderKeyProvider,
  ResponseObject,
  ResponsesRequest,
  UserUsagePage,
  Wallet,
} from "./wire-types.js";

export interface FaucetOptions {
  /**
   * A session for the signed-in user, from the app's own server (which
   * mints it with `createSessionMinter`). Called on first use, before the
   * session expires, and when the server reports it expired.
   */
  getSession: () => Promise<SessionGrant>;
  /** The Control API's origin (wallet, keys, usage). Default: relative URLs, the page's own origin. */
  apiBaseUrl?: string | undefined;
  /** Default: the global fetch. */
  fetch?: typeof fetch | undefined;
  /** Renew the session this long before it expires, ms (default 60000; at most half its lifetime). */
  refreshSkewMs?: number | undefined;
  /**
   * Retries of a failed call (429, 502 provider_error, 503 service_unavailable;
   * a lost connection only for a GET), 0–2, default 2. Each waits the
   * `Retry-After` the server sent (a call told to wait over 60 s fails at
   * once), else a backoff of about 0.5 s, then 1 s.
   */
  maxRetries?: number | undefined;
  /** Where the Local Bridge listens, for `local.detect` and the `local` route (default http://127.0.0.1:8787). */
  localBridgeUrl?: string | undefined;
}

export interface TopUpParams {
  /** USD as a decimal string, 1.00–10000.00 in whole cents. */
  amountUsd: string;
  successUrl: string;
  cancelUrl: string;
}

export interface AddKeyParams {
  provider: ProviderKeyProvider;
  /** Sent once; only its masked form ever comes back. */
  apiKey: string;
  /** Required for `openai_compatible`. */
  baseUrl?: string | undefined;
}

/** One end user's client: Gateway calls, wallet and keys with that user's session. */
export interface Faucet {
  chat: {
    create(body: ChatCompletionRequest, options?: CallOptions): Promise<ChatCompletion>;
    stream(body: ChatCompletionRequest, options?: CallOptions): ChatStream;
  };
  embeddings: { create(body: EmbeddingsRequest, options?: CallOptions): Promise<EmbeddingsResponse> };
  responses: {
    create(body: ResponsesRequest, options?: CallOptions): Promise<ResponseObject>;
    stream(body: ResponsesRequest, options?: CallOptions): ResponsesStream;
  };
  models: { list(options?: CallOptions): Promise<ModelList> };
  wallet: {
    get(options?: CallOptions): Promise<Wallet>;
    /** The user's requests, newest first: pass the last page's `next_cursor` for the next. */
    history(
      params?: { cursor?: string | undefined; limit?: number | undefined },
      options?: CallOptions,
    ): Promise<UserUsagePage>;
    /** Starts a Stripe Checkout top-up: send the user to `url`. */
    topUp(params: TopUpParams, options?: CallOptions): Promise<{ url: string; topUpId: string }>;
  };
  keys: {
    list(options?: CallOptions): Promise<ProviderKey[]>;
    add(params: AddKeyParams, options?: CallOptions): Promise<ProviderKey>;
    remove(id: string, options?: CallOptions): Promise<void>;
  };
  local: { detect(options?: DetectOptions): Promise<LocalBridgeStatus> };
  /** Options for `new OpenAI(…)` or `createOpenAICompatible(…)`: their calls use and renew this session. */
  openAIOptions(options?: { route?: RouteChoice | undefined }): Promise<OpenAIOptions>;
}

const DEFAULT_REFRESH_SKEW_MS = 60_000;

/**
 * The browser side: holds the session in memory only (never in storage),
 * renews it before it expires with one `getSession` call however many
 * calls need it, and turns every error envelope into a typed FaucetError.
 */
export function createFaucet(options: FaucetOptions): Faucet {
  // Called as a plain function: a browser's fetch refuses to run as a method of another object.
  const fetchImpl: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);
  const sessions = createSessionKeeper(options.getSession, options.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS);
  const maxRetries = options.maxRetries ?? MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > MAX_RETRIES) {
    throw new RangeError(`maxRetries must be an integer from 0 to ${MAX_RETRIES}.`);
  }
  const transport = createTransport({ sessions, apiBaseUrl: options.apiBaseUrl ?? "", fetch: fetchImpl, maxRetries });
  const bridgeUrl = options.localBridgeUrl ?? LOCAL_BRIDGE_URL;
  // Chat and embeddings go to the Local Bridge on the `local` route (see createLocalRoute), else to the Gateway.
  const routed = routeLocalCalls(transport, createLocalRoute({ sessions, transport, fetch: fetchImpl, bridgeUrl }));
  const streams = {
    transport: routed,
    billedUsage: billedUsageReader(transport),
    takeLocalBlock: routed.takeLocalBlock,
  };
  const post = <T>(path: string, body: unknown, callOptions?: CallOptions) =>
    routed.json<T>({ service: "gateway", method: "POST", path, body, options: callOptions });
  const api = <T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown, callOptions?: CallOptions) =>
    transport.json<T>({ service: "api", method, path, body, options: callOptions });

  return {
    chat: {
      create: (body, callOptions) => {
        const { stream_options: _ignored, ...rest } = body;
        return post("/chat/completions", { ...rest, stream: false }, callOptions);
      },
      stream: (body, callOptions) => openChatStream(streams, body, callOptions),
    },
    embeddings: { create: (body, callOptions) => post("/embeddings", body, callOptions) },
    responses: {
      create: (body, callOptions) => post("/responses", { ...body, stream: false }, callOptions),
      stream: (body, callOptions) => openResponsesStream(streams, body, callOptions),
    },
    models: {
      list: (callOptions) =>
        transport.json({ service: "gateway", method: "GET", path: "/models", options: callOptions }),
    },
    wallet: {
      get: (callOptions) => api("GET", "/v1/user/wallet", undefined, callOptions),
      history: ({ cursor, limit } = {}, callOptions) => {
        const query = new URLSearchParams();
        if (cursor !== undefined) query.set("cursor", cursor);
        if (limit !== undefined) query.set("limit", String(limit));
        return api("GET", `/v1/user/usage${query.size > 0 ? `?${query}` : ""}`, undefined, callOptions);
      },
      async topUp({ amountUsd, successUrl, cancelUrl }, callOptions) {
        const body = { amount_usd: amountUsd, success_url: successUrl, cancel_url: cancelUrl };
        const checkout = await api<CheckoutSession>("POST", "/v1/user/stripe/checkout-sessions", body, callOptions);
        if (checkout.checkout_url === null) {
          throw new FaucetError({ code: "invalid_response", message: "The checkout session has no URL.", status: 200 });
        }
        return { url: checkout.checkout_url, topUpId: checkout.top_up_id };
      },
    },
    keys: {
      list: async (callOptions) =>
        (await api<{ items: ProviderKey[] }>("GET", "/v1/user/provider-keys", undefined, callOptions)).items,
      add: ({ provider, apiKey, baseUrl }, callOptions) =>
        api("POST", "/v1/user/provider-keys", { provider, api_key: apiKey, base_url: baseUrl }, callOptions),
      remove: async (id, callOptions) => {
        await api("DELETE", `/v1/user/provider-keys/${encodeURIComponent(id)}`, undefined, callOptions);
      },
    },
    local: {
      detect: (detectOptions) => detectLocalBridge(fetchImpl, { url: bridgeUrl, ...detectOptions }),
    },
    async openAIOptions({ route } = {}) {
      const grant = await sessions.current();
      return { baseURL: grant.gatewayBaseUrl, apiKey: grant.token, fetch: sessionFetch(sessions, fetchImpl, route) };
    },
  };
}
