import type { Transport } from "./http/transport.js";
import type { UserUsagePage, UserUsageItem } from "./wire-types.js";

/** Waits between looks for an aborted request's usage record, ms: ~6 s in all. */
const POLL_DELAYS_MS = [50, 100, 200, 400, 800, 1600, 3000];

/**
 * Reads the usage record of a request that was aborted: the Gateway settles
 * what it delivered once it sees the client leave, a moment after the abort.
 * Undefined when no record appeared in time or it could not be read.
 */
export function billedUsageReader(transport: Transport) {
  return async function billedUsage(requestId: string): Promise<UserUsageItem | undefined> {
    for (const delay of POLL_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        const page = await transport.json<UserUsagePage>({
          service: "api",
          method: "GET",
          path: `/v1/user/usage?request_id=${encodeURIComponent(requestId)}`,
        });
        const billed = page.items.find((item) => item.request_id === requestId);
        if (billed) return billed;
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}
