import { Pool } from "undici";

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  /** Milliseconds: to the end of the body, or to the first byte when `firstByte` was asked. */
  p50: number;
  p99: number;
  mean: number;
}

export interface LoadOptions {
  url: string;
  path: string;
  /** Headers of the requests of connection `index` (e.g. one end user per connection). */
  headers: (index: number) => Record<string, string>;
  body: string;
  concurrency: number;
  /** Stop after this many requests, or after durationMs, whichever comes first. */
  maxRequests: number;
  durationMs: number;
  firstByte?: boolean;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A closed-loop load: `concurrency` keep-alive connections, each sending the next request when the last one ends. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async (index: number) => {
    const headers = options.headers(index);
    while (sent < options.maxRequests && performance.now() < deadline) {
      sent++;
      const t0 = performance.now();
      try {
        const { statusCode, body } = await pool.request({
          path: options.path,
          method: "POST",
          headers,
          body: options.body,
        });
        if (options.firstByte) {
          let first = true;
          for await (const _chunk of body) {
            if (first) latencies.push(performance.now() - t0);
            first = false;
          }
        } else {
          await body.dump();
          latencies.push(performance.now() - t0);
        }
        if (statusCode !== 200) errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(sorted.length, 1),
  };
}
