import { isSaneRequestId } from "@modelfaucet/core";
import type { Dispatcher } from "undici";
import { ProviderError } from "../errors/provider-error.js";
import { openAIErrorFromResponse } from "../openai-compatible/openai-error-response.js";
import type { ResolvedOpenAICompatibleOptions } from "../openai-compatible/openai-compatible-options.js";
import { encodeJsonBody } from "./encode-json-body.js";
import type { HeaderMap } from "./header-map.js";
import { BodyTooLargeError, readBodyText } from "./read-body.js";
import { transportError } from "./transport-error.js";
import type { UpstreamCall } from "./upstream-call.js";
import type { UpstreamPools } from "./upstream-pools.js";

/** Most bytes of an error body read (for logs); the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** One OpenAI-compatible upstream as the non-chat adapters (embeddings, responses) reach it. */
export interface OpenAIEndpoint {
  readonly options: ResolvedOpenAICompatibleOptions;
  readonly pools: UpstreamPools;
  /** Content type, authorization and extra headers; built once. */
  readonly baseHeaders: Readonly<Record<string, string>>;
  readonly redact: (text: string) => string;
}

/**
 * POSTs `body` as JSON to `${basePath}${path}`; resolves with a 2xx response,
 * throws ProviderError for any other status (OpenAI's error shape parsed,
 * the key redacted). The caller owns `call` and reads or destroys the body.
 */
export async function sendOpenAIRequest(
  endpoint: OpenAIEndpoint,
  path: string,
  body: object,
  accept: string,
  requestId: string,
  call: UpstreamCall,
): Promise<Dispatcher.ResponseData<null>> {
  const { options } = endpoint;
  if (call.cause !== undefined) throw transportError(options.id, new Error("aborted before sending"), call);
  const headers: Record<string, string> = { ...endpoint.baseHeaders, accept };
  if (isSaneRequestId(requestId)) headers["x-client-request-id"] = requestId;
  const response = await endpoint.pools.get(options.origin).request({
    path: `${options.basePath}${path}`,
    method: "POST",
    headers,
    body: encodeJsonBody(options.id, body),
    signal: call.signal,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  });
  if (response.statusCode >= 200 && response.statusCode < 300) return response;
  let bodyText = "";
  try {
    bodyText = await readBodyText(response.body, { limitBytes: MAX_ERROR_BODY_BYTES, truncate: true });
  } catch {
    // The status is what matters; a body cut short is still logged as far as it came.
  }
  throw openAIErrorFromResponse(
    options.id,
    { statusCode: response.statusCode, headers: response.headers as HeaderMap, bodyText },
    endpoint.redact,
  );
}

/** Reads a 2xx body as a JSON object, bounded by `maxResponseBytes`; `invalid_response` otherwise. */
export async function readOpenAIJsonObject(
  endpoint: OpenAIEndpoint,
  response: Dispatcher.ResponseData<null>,
  upstreamRequestId: string | undefined,
): Promise<Record<string, unknown>> {
  const id = endpoint.options.id;
  const invalid = (what: string, rawBody?: string) =>
    new ProviderError(id, "invalid_response", `Upstream "${id}" sent ${what}.`, {
      retryable: false,
      upstreamRequestId,
      rawBody: rawBody === undefined ? undefined : endpoint.redact(rawBody),
    });
  let text: string;
  try {
    text = await readBodyText(response.body, { limitBytes: endpoint.options.maxResponseBytes, truncate: false });
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw invalid(`a body over ${error.limitBytes} bytes`);
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid("a body that is not JSON", text);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw invalid("a body that is not an object", text);
  return body as Record<string, unknown>;
}
