import { useFaucet } from "@modelfaucet/react";
import type { ChatCompletion } from "@modelfaucet/sdk";
import { AiCard } from "../ai/ai-card.js";
import { useAiRoute } from "../ai/ai-route.js";
import { usageOfCompletion } from "../ai/answer-usage.js";
import { FEATURES } from "../ai/features.js";
import { SUMMARY_INSTRUCTIONS, threadText } from "../ai/prompts.js";
import { useAiTask } from "../ai/use-ai-task.js";
import { useFeatureModel } from "../ai/use-feature-model.js";
import type { Contact, Ticket } from "../crm/crm-types.js";

/** summarize_thread: a few bullet points on the whole thread. */
export function ThreadSummary({ ticket, contact }: { ticket: Ticket; contact: Contact | undefined }) {
  const client = useFaucet();
  const { route } = useAiRoute();
  const model = useFeatureModel(FEATURES.summarizeThread, "chat");
  const { state, run } = useAiTask<ChatCompletion>();
  const summarize = () =>
    run((signal) =>
      client.chat.create(
        {
          model,
          messages: [
            { role: "system", content: SUMMARY_INSTRUCTIONS },
            { role: "user", content: threadText(ticket, contact) },
          ],
          metadata: { feature_key: FEATURES.summarizeThread },
        },
        { signal, route },
      ),
    );
  const answer = state.status === "done" ? usageOfCompletion(state.result) : undefined;
  return (
    <AiCard
      title="Summary"
      testId="summary"
      busy={state.status === "running"}
      error={state.status === "error" ? state.error : null}
      usage={answer}
      action={
        <button type="button" className="button button-ai button-small" onClick={summarize}>
          {state.status === "running" ? "Summarizing…" : answer ? "Again" : "Summarize thread"}
        </button>
      }
    >
      {answer ? (
        <p className="ai-text">{answer.content}</p>
      ) : (
        <p className="hint">What the customer needs and what happens next, in three lines.</p>
      )}
    </AiCard>
  );
}
