/** Who ended a call early: the caller's signal, our deadline, or the consumer stopping a stream. */
export type AbortCause = "caller" | "timeout" | "consumer";

/**
 * The cancellation of one upstream call: one AbortController fed by the
 * caller's signal, an optional overall deadline and the consumer, which
 * remembers the first cause so errors can be classified afterwards.
 * `dispose()` must be called once the call is over.
 */
export class UpstreamCall {
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal;
  #timer: NodeJS.Timeout | undefined;
  #cause: AbortCause | undefined;
  readonly #onCallerAbort = (): void => this.abort("caller");

  constructor(callerSignal: AbortSignal, deadlineMs: number | undefined) {
    this.#callerSignal = callerSignal;
    if (callerSignal.aborted) {
      this.abort("caller");
      return;
    }
    callerSignal.addEventListener("abort", this.#onCallerAbort, { once: true });
    if (deadlineMs !== undefined) this.#timer = setTimeout(() => this.abort("timeout"), deadlineMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The first reason the call was ended early, if any. */
  get cause(): AbortCause | undefined {
    return this.#cause;
  }

  abort(cause: AbortCause): void {
    if (this.#cause !== undefined) return;
    this.#cause = cause;
    this.#controller.abort(new Error(`upstream call ended early (${cause})`));
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#callerSignal.removeEventListener("abort", this.#onCallerAbort);
  }
}
