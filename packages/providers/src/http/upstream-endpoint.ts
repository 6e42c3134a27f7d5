import { isSaneRequestId } from "@modelfaucet/core";
import type { Dispatcher } from "undici";
import { ProviderError } from "../errors/provider-error.js";
import type { ResolvedUpstreamLimits } from "../options/upstream-limits.js";
import type { HeaderMap } from "./header-map.js";
import { encodeJsonBody } from "./encode-json-body.js";
import { BodyTooLargeError, readBodyText } from "./read-body.js";
import { transportError } from "./transport-error.js";
import type { UpstreamCall } from "./upstream-call.js";
import { createRedactor } from "./redact-secret.js";
import { UpstreamPools } from "./upstream-pools.js";

/** Most bytes of an error body read (for logs); the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** A non-2xx answer as read for the provider's error parser; `bodyText` is bounded and not yet redacted. */
export interface UpstreamHttpErrorResponse {
  readonly statusCode: number;
  readonly headers: HeaderMap;
  readonly bodyText: string;
}

/** Where an upstream is and the limits of a call to it, as each adapter's resolved options carry them. */
export interface UpstreamTarget extends ResolvedUpstreamLimits {
  /** The provider id, used in errors and logs. */
  readonly id: string;
  /** `scheme://host:port` the pools key connections by. */
  readonly origin: string;
}

export interface UpstreamEndpointInit {
  readonly target: UpstreamTarget;
  /** Connection pools shared with other providers. Default: private pools, closed by `close()`. */
  readonly pools: UpstreamPools | undefined;
  /** Content type, credentials and extra headers; built once, the key lives only here. */
  readonly baseHeaders: Readonly<Record<string, string>>;
  /** The key in `baseHeaders`, redacted from any upstream text kept for logs; undefined when none. */
  readonly apiKey: string | undefined;
  /** The provider's parser of its own error shape (a non-2xx answer → ProviderError). */
  readonly errorFromResponse: (
    providerId: string,
    response: UpstreamHttpErrorResponse,
    redact: (text: string) => string,
  ) => ProviderError;
}

/** One POST to an upstream: where, what, and under which call (signal, timeout). */
export interface UpstreamPost {
  readonly path: string;
  /** Sent as JSON. */
  readonly body: object;
  readonly accept: string;
  /** The gateway's request id, sent as `x-client-request-id` when sane; undefined not to send it. */
  readonly clientRequestId?: string | undefined;
  readonly call: UpstreamCall;
}

/**
 * The HTTP side every chat adapter shares: sending a JSON POST through the
 * shared pools with the configured timeouts, turning a non-2xx answer into
 * the provider's ProviderError, and reading a 2xx body within its limit.
 * What a body means is left to the adapter.
 */
export class UpstreamEndpoint {
  /** Removes the key from any text that may reach a log or an error. */
  readonly redact: (text: string) => string;
  readonly #init: UpstreamEndpointInit;
  readonly #pools: UpstreamPools;

  constructor(init: UpstreamEndpointInit) {
    this.#init = init;
    this.#pools = init.pools ?? new UpstreamPools();
    this.redact = createRedactor(init.apiKey);
  }

  /** Closes the pools if this endpoint created them; shared pools are left to their owner. */
  async close(): Promise<void> {
    if (this.#init.pools === undefined) await this.#pools.close();
  }

  /** Sends the request; resolves with a 2xx response, throws ProviderError on any other status. */
  async send(post: UpstreamPost): Promise<Dispatcher.ResponseData<null>> {
    const { id: providerId, origin, headersTimeoutMs, bodyTimeoutMs } = this.#init.target;
    const { call } = post;
    if (call.cause !== undefined) throw transportError(providerId, new Error("aborted before sending"), call);
    const headers: Record<string, string> = { ...this.#init.baseHeaders, accept: post.accept };
    if (post.clientRequestId !== undefined && isSaneRequestId(post.clientRequestId)) {
      headers["x-client-request-id"] = post.clientRequestId;
    }
    const response = await this.#pools.get(origin).request({
      path: post.path,
      method: "POST",
      headers,
      body: encodeJsonBody(providerId, post.body),
      signal: call.signal,
      headersTimeout: headersTimeoutMs,
      bodyTimeout: bodyTimeoutMs,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    throw await this.#httpError(response);
  }

  /** A 2xx body as text, bounded by `maxResponseBytes`; `invalid_response` beyond it. */
  async readSuccessBody(response: Dispatcher.ResponseData<null>, requestId: string | undefined): Promise<string> {
    try {
      return await readBodyText(response.body, { limitBytes: this.#init.target.maxResponseBytes, truncate: false });
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw this.invalid(`a body over ${error.limitBytes} bytes`, requestId);
      throw error;
    }
  }

  /** The JSON of a 2xx body; `invalid_response` (raw body kept, redacted) when it is not JSON. */
  parseJson(text: string, requestId: string | undefined): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw this.invalid("a body that is not JSON", requestId, text);
    }
  }

  /** Throws `invalid_response` unless a streaming request was answered with `text/event-stream`. */
  async assertEventStream(response: Dispatcher.ResponseData<null>, requestId: string | undefined): Promise<void> {
    if (isEventStream(response.headers)) return;
    const text = await readBodyText(response.body, { limitBytes: MAX_ERROR_BODY_BYTES, truncate: true });
    throw this.invalid("a non-event-stream answer to a streaming request", requestId, text);
  }

  invalid(what: string, requestId: string | undefined, rawBody?: string): ProviderError {
    const id = this.#init.target.id;
    return new ProviderError(id, "invalid_response", `Upstream "${id}" sent ${what}.`, {
      retryable: false,
      upstreamRequestId: requestId,
      rawBody: rawBody === undefined ? undefined : this.redact(rawBody),
    });
  }

  async #httpError(response: Dispatcher.ResponseData<null>): Promise<ProviderError> {
    let bodyText = "";
    try {
      bodyText = await readBodyText(response.body, { limitBytes: MAX_ERROR_BODY_BYTES, truncate: true });
    } catch {
      // The status is what matters; a body cut short is still logged as far as it came.
    }
    return this.#init.errorFromResponse(
      this.#init.target.id,
      { statusCode: response.statusCode, headers: response.headers as HeaderMap, bodyText },
      this.redact,
    );
  }
}

function isEventStream(headers: HeaderMap): boolean {
  const value = headers["content-type"];
  const type = Array.isArray(value) ? value[0] : value;
  return type !== undefined && type.toLowerCase().includes("text/event-stream");
}
