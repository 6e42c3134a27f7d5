import { UsageFooter, type ChatMessage } from "@modelfaucet/react";

/**
 * An answer's route, tokens and cost (UsageFooter), carrying its request id
 * — what support asks for, and what finds the answer in ModelFaucet's usage
 * and ledger (hover shows it).
 */
export function BilledUsage({ message }: { message: ChatMessage }) {
  return (
    <div className="billed-usage" data-request-id={message.request_id} title={`Request ${message.request_id ?? "—"}`}>
      <UsageFooter className="usage-footer" message={message} />
    </div>
  );
}
