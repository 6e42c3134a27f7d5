import { useFaucet } from "@modelfaucet/react";
import type { ChatCompletion } from "@modelfaucet/sdk";
import { AiCard } from "../ai/ai-card.js";
import { useAiRoute } from "../ai/ai-route.js";
import { usageOfCompletion } from "../ai/answer-usage.js";
import { FEATURES } from "../ai/features.js";
import { parseExtractedFields, type FieldKey } from "../ai/parse-extracted-fields.js";
import { EXTRACTED_FIELDS, EXTRACTION_INSTRUCTIONS, threadText } from "../ai/prompts.js";
import { useAiTask } from "../ai/use-ai-task.js";
import { useFeatureModel } from "../ai/use-feature-model.js";
import type { Contact, Ticket } from "../crm/crm-types.js";

/** extract_fields: the ticket's facts as JSON (order numbers, sentiment, urgency, …), shown as a table. */
export function FieldExtractor({ ticket, contact }: { ticket: Ticket; contact: Contact | undefined }) {
  const client = useFaucet();
  const { route } = useAiRoute();
  const model = useFeatureModel(FEATURES.extractFields, "chat");
  const { state, run } = useAiTask<ChatCompletion>();
  const extract = () =>
    run((signal) =>
      client.chat.create(
        {
          model,
          messages: [
            { role: "system", content: EXTRACTION_INSTRUCTIONS },
            { role: "user", content: threadText(ticket, contact) },
          ],
          response_format: { type: "json_object" },
          metadata: { feature_key: FEATURES.extractFields },
        },
        { signal, route },
      ),
    );
  const answer = state.status === "done" ? usageOfCompletion(state.result) : undefined;
  const fields = answer ? parseExtractedFields(answer.content) : null;
  return (
    <AiCard
      title="Extracted fields"
      testId="fields"
      busy={state.status === "running"}
      error={state.status === "error" ? state.error : null}
      usage={answer}
      action={
        <button type="button" className="button button-ai button-small" onClick={extract}>
          {state.status === "running" ? "Extracting…" : answer ? "Again" : "Extract fields"}
        </button>
      }
    >
      {!answer && <p className="hint">Order numbers, sentiment, urgency and the ask, as JSON for the CRM.</p>}
      {fields && (
        <dl className="fields">
          {(Object.entries(EXTRACTED_FIELDS) as Array<[FieldKey, string]>).map(([key, label]) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd data-empty={fields[key] === null}>{fields[key] ?? "—"}</dd>
            </div>
          ))}
        </dl>
      )}
      {answer && !fields && (
        <>
          <p className="ai-warning">The model did not answer with a JSON object; its answer:</p>
          <pre className="raw-answer">{answer.content}</pre>
        </>
      )}
    </AiCard>
  );
}
