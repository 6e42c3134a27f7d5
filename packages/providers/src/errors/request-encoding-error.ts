/**
 * A request body our adapter could not encode for upstream (a cycle, a
 * BigInt: our bug, never the provider's). Not a ProviderError: no upstream
 * was called, so it must never count against the provider's circuit
 * breaker, be retried, or fall back — the caller gets a 500, and only that
 * caller. A body too deep or too large to encode is the caller's input
 * instead, refused as `invalid_request` (see encodeJsonBody).
 */
export class RequestEncodingError extends Error {
  /** Id of the provider the request was for. */
  readonly providerId: string;

  constructor(providerId: string, cause: unknown) {
    super(`A request for upstream "${providerId}" could not be encoded as JSON.`, { cause });
    this.name = "RequestEncodingError";
    this.providerId = providerId;
  }
}
