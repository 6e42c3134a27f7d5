import type { LocalUsageReport } from "@modelfaucet/contract";
import { readBodyText, type UpstreamPools } from "@modelfaucet/providers";
import { describeFailure } from "../upstreams/get-json.js";

/** Path of the report endpoint under the API's base URL (CONTRACT.md). */
export const LOCAL_REPORT_PATH = "/v1/usage/local-report";
/** Most time one delivery may take, ms. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** How much of a refusal's message is kept in the dead-letter list. */
const MAX_REASON_CHARS = 300;

/**
 * What became of one attempt: `delivered` (2xx: settled now or before — the
 * API is idempotent on `request_id`), `retry` (the network, a timeout, 408,
 * 425, 429 or 5xx: may work later), or `dead` (any other answer: the API
 * refused this report for good — an unknown or spent ticket, a bad field).
 */
export type DeliveryOutcome =
  { result: "delivered" } | { result: "retry"; reason: string } | { result: "dead"; status: number; reason: string };

const RETRYABLE_STATUSES = new Set([408, 425, 429]);

/** Sends one report to `POST <api>/v1/usage/local-report`, authenticated by its ticket. */
export async function deliverReport(
  pools: UpstreamPools,
  apiUrl: URL,
  ticket: string,
  report: LocalUsageReport,
): Promise<DeliveryOutcome> {
  try {
    const { statusCode, body } = await pools.get(apiUrl.origin).request({
      method: "POST",
      path: `${apiUrl.pathname.replace(/\/+$/, "")}${LOCAL_REPORT_PATH}`,
      headers: {
        authorization: `Bearer ${ticket}`,
        "content-type": "application/json",
        "x-request-id": report.request_id,
      },
      body: JSON.stringify(report),
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    const text = await readBodyText(body, { limitBytes: 64 * 1024, truncate: true });
    if (statusCode >= 200 && statusCode < 300) return { result: "delivered" };
    const reason = `HTTP ${statusCode}${refusalOf(text)}`;
    if (statusCode >= 500 || RETRYABLE_STATUSES.has(statusCode)) return { result: "retry", reason };
    return { result: "dead", status: statusCode, reason };
  } catch (error) {
    return { result: "retry", reason: describeFailure(error) };
  }
}

/** ` <code>: <message>` from an error envelope, bounded; nothing when the body is not one. */
function refusalOf(text: string): string {
  try {
    const { error } = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof error?.code === "string" ? error.code : "error";
    const message = typeof error?.message === "string" ? error.message : "";
    return ` ${code}: ${message}`.slice(0, MAX_REASON_CHARS);
  } catch {
    return "";
  }
}
