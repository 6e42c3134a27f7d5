import type { IncomingHttpHeaders } from "node:http";

/** What the mock has seen since start or the last `resetCalls()`. */
export interface MockCalls {
  /** Chat completion requests received (any outcome, failures and bad requests included). */
  readonly count: number;
  /** Body of the last chat request, parsed (the raw text if it was not JSON); undefined before the first. */
  readonly lastBody: unknown;
  /** Headers of the last chat request. */
  readonly lastHeaders: IncomingHttpHeaders | undefined;
  /** Chat answers the client closed before the mock finished them (aborts, cancelled streams). */
  readonly clientAborts: number;
}

/** The mock's record of chat calls; bodies are kept raw and parsed only when read. */
export class CallLog implements MockCalls {
  count = 0;
  clientAborts = 0;
  lastHeaders: IncomingHttpHeaders | undefined;
  #lastBodyText: string | undefined;

  record(bodyText: string, headers: IncomingHttpHeaders): void {
    this.count += 1;
    this.#lastBodyText = bodyText;
    this.lastHeaders = headers;
  }

  // Parsed on read, not on the hot path.
  get lastBody(): unknown {
    if (this.#lastBodyText === undefined) return undefined;
    try {
      return JSON.parse(this.#lastBodyText);
    } catch {
      return this.#lastBodyText;
    }
  }

  reset(): void {
    this.count = 0;
    this.clientAborts = 0;
    this.lastHeaders = undefined;
    this.#lastBodyText = undefined;
  }
}
