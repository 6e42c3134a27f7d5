/**
 * One dispatched server-sent event.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export interface SseEvent {
  /** The `event:` field, when the event had one (absent means `message`). */
  readonly event?: string;
  /** The `data:` lines of the event joined with `\n`; may be empty. */
  readonly data: string;
}
