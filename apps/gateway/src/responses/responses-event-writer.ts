import { encodeSseEvent } from "@modelfaucet/providers";

/**
 * Writes Responses API stream events: a named `event:` line and a data
 * object carrying the same `type` and a `sequence_number` that increases by
 * one per event, from `firstSequenceNumber`.
 */
export class ResponsesEventWriter {
  #sequence: number;
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void, firstSequenceNumber = 0) {
    this.#write = write;
    this.#sequence = firstSequenceNumber;
  }

  emit(type: string, fields: Record<string, unknown>): void {
    const data = JSON.stringify({ type, sequence_number: this.#sequence++, ...fields });
    this.#write(encodeSseEvent({ event: type, data }));
  }
}
