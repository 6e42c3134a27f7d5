import { useChat } from "@modelfaucet/react";
import { useState } from "react";
import { useAiRoute } from "../ai/ai-route.js";
import { BilledUsage } from "../ai/billed-usage.js";
import { describeAiError } from "../ai/describe-error.js";
import { FEATURES } from "../ai/features.js";
import { useFeatureModel } from "../ai/use-feature-model.js";
import { REPLY_INSTRUCTIONS, threadText } from "../ai/prompts.js";
import { useCrm } from "../crm/crm-store.js";
import type { Contact, Ticket } from "../crm/crm-types.js";

/**
 * The reply box. "Draft with AI" streams a reply (customer_reply) into it
 * token by token; Stop ends the draft where it is (billed for what arrived).
 * The agent edits the draft and sends it: it joins the thread.
 */
export function ReplyComposer({ ticket, contact }: { ticket: Ticket; contact: Contact | undefined }) {
  const crm = useCrm();
  const { route } = useAiRoute();
  const [text, setText] = useState("");
  const chat = useChat({
    feature: FEATURES.customerReply,
    model: useFeatureModel(FEATURES.customerReply, "chat"),
    route,
    onFinish: (answer) => setText(answer.content),
  });
  const draft = chat.messages.findLast((message) => message.role === "assistant");
  const drafting = chat.status === "submitted" || chat.status === "streaming";

  function startDraft() {
    chat.setMessages([{ id: "instructions", role: "system", content: REPLY_INSTRUCTIONS }]);
    void chat.send(threadText(ticket, contact));
  }

  function send() {
    crm.reply(ticket.id, text.trim());
    setText("");
    chat.setMessages([]);
  }

  return (
    <section className="composer" aria-label="Reply" data-testid="reply-composer">
      <textarea
        aria-label="Reply to the customer"
        placeholder={`Write to ${contact?.name ?? "the customer"}…`}
        value={drafting ? (draft?.content ?? "") : text}
        readOnly={drafting}
        onChange={(event) => setText(event.target.value)}
        rows={7}
        data-state={drafting ? "drafting" : "editing"}
      />
      {chat.error && (
        <p role="alert" className="ai-error">
          {describeAiError(chat.error)}
        </p>
      )}
      <div className="composer-actions">
        {drafting ? (
          <button type="button" className="button button-danger" onClick={chat.stop}>
            Stop
          </button>
        ) : (
          <button type="button" className="button button-ai" onClick={startDraft}>
            ✦ Draft with AI
          </button>
        )}
        {draft && !drafting && <BilledUsage message={draft} />}
        <button
          type="button"
          className="button"
          onClick={send}
          disabled={drafting || text.trim() === ""}
          data-testid="send-reply"
        >
          Send reply
        </button>
      </div>
    </section>
  );
}
