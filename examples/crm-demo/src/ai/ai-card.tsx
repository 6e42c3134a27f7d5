import type { ChatMessage } from "@modelfaucet/react";
import type { ReactNode } from "react";
import { BilledUsage } from "./billed-usage.js";
import { describeAiError } from "./describe-error.js";

/**
 * One AI tool's box: its title and action, then what came back — the
 * answer, or the error — and always, once billed, the route, tokens and cost.
 */
export function AiCard({
  title,
  action,
  busy,
  error,
  usage,
  children,
  testId,
}: {
  title: string;
  action: ReactNode;
  busy: boolean;
  error: Error | null;
  /** The billed answer, for UsageFooter. */
  usage: ChatMessage | undefined;
  children?: ReactNode;
  testId: string;
}) {
  return (
    <section className="ai-card" aria-label={title} aria-busy={busy} data-testid={testId}>
      <div className="ai-card-head">
        <h3>
          <span className="spark" aria-hidden="true">
            ✦
          </span>{" "}
          {title}
        </h3>
        {action}
      </div>
      {children}
      {error && (
        <p role="alert" className="ai-error">
          {describeAiError(error)}
        </p>
      )}
      {usage && <BilledUsage message={usage} />}
    </section>
  );
}
