import { localUsageReportBody, type LocalUsageReport, type UsageSource } from "@modelfaucet/contract";
import type { BridgeContext } from "../server/bridge-context.js";
import { BridgeError } from "../server/http-reply.js";

/** One local call being metered: whose ticket, which request id, which bridge model. */
export interface MeteredCall {
  ticket: string;
  requestId: string;
  model: string;
}

/**
 * Builds the report of a call before it goes upstream, with zero counts, so
 * a model id the contract's report would refuse is the caller's 400 now,
 * not a report that cannot be queued after the work is done.
 */
export function checkReportable(call: MeteredCall): void {
  const draft = localUsageReportBody.safeParse(reportOf(call, { input_tokens: 0, output_tokens: 0 }, "estimated"));
  if (!draft.success) {
    throw new BridgeError(
      "invalid_request",
      "The model id must be printable, without spaces, at most 256 characters.",
      {
        param: "model",
      },
    );
  }
}

/**
 * Queues the call's report — token counts only, checked by the contract's
 * strict schema — and resolves once it is on disk; the sender delivers it.
 * A queue that cannot write is an internal_error: the answer is withheld
 * rather than given unmetered.
 */
export async function recordUsage(
  ctx: BridgeContext,
  call: MeteredCall,
  counts: Pick<LocalUsageReport, "input_tokens" | "output_tokens">,
  source: UsageSource,
): Promise<void> {
  const report = localUsageReportBody.parse(reportOf(call, counts, source));
  try {
    await ctx.queue.enqueue(call.ticket, report);
  } catch (error) {
    ctx.log.warn("could not queue a usage report", { request_id: call.requestId, error: (error as Error).message });
    throw new BridgeError("internal_error", "The bridge could not record this call's usage on disk.");
  }
  ctx.sender.kick();
  ctx.log.info("local call", { ...report });
}

function reportOf(
  call: MeteredCall,
  counts: Pick<LocalUsageReport, "input_tokens" | "output_tokens">,
  source: UsageSource,
): LocalUsageReport {
  return { request_id: call.requestId, model: call.model, ...counts, usage_source: source };
}
