/** The body exceeded the byte limit given to `readBodyText`. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body larger than ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

export interface ReadBodyOptions {
  /** Most bytes to read. */
  limitBytes: number;
  /** When the limit is hit: true = return the first `limitBytes` (for error bodies), false = throw BodyTooLargeError. */
  truncate: boolean;
}

/**
 * Reads a response body as UTF-8 up to a byte limit. Stops reading (and
 * destroys the stream, which closes the connection) once the limit is hit,
 * so a hostile upstream cannot make us buffer without bound.
 */
export async function readBodyText(
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown },
  options: ReadBodyOptions,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (size + buf.length > options.limitBytes) {
      body.destroy();
      if (!options.truncate) throw new BodyTooLargeError(options.limitBytes);
      chunks.push(buf.subarray(0, options.limitBytes - size));
      size = options.limitBytes;
      break;
    }
    chunks.push(buf);
    size += buf.length;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks, size).toString("utf8");
}
