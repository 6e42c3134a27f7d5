import { useCrm } from "../crm/crm-store.js";
import type { Ticket, TicketStatus } from "../crm/crm-types.js";
import { hrefOf } from "../use-hash-route.js";
import { FieldExtractor } from "./field-extractor.js";
import { ReplyComposer } from "./reply-composer.js";
import { ThreadSummary } from "./thread-summary.js";

const STATUSES: TicketStatus[] = ["open", "pending", "closed"];

const when = (iso: string) =>
  new Date(iso).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** One ticket: the thread and the reply composer, and the AI tools beside them. */
export function TicketView({ ticket }: { ticket: Ticket }) {
  const crm = useCrm();
  const contact = crm.contact(ticket.contactId);
  return (
    <div className="ticket">
      <article className="thread" aria-label={`Ticket ${ticket.id}`}>
        <header className="thread-head">
          <div>
            <p className="eyebrow">
              {ticket.id} · {ticket.priority} priority
            </p>
            <h2>{ticket.subject}</h2>
            {contact && (
              <p className="muted">
                <a href={hrefOf("contacts", contact.id)}>{contact.name}</a> · {contact.title}, {contact.company}
              </p>
            )}
          </div>
          <label className="status-select">
            Status{" "}
            <select
              value={ticket.status}
              onChange={(event) => crm.setStatus(ticket.id, event.target.value as TicketStatus)}
            >
              {STATUSES.map((status) => (
                <option key={status}>{status}</option>
              ))}
            </select>
          </label>
        </header>
        <ol className="messages">
          {ticket.messages.map((message, index) => (
            <li key={index} className={`message message-${message.from}`}>
              <p className="message-meta">
                <strong>{message.from === "customer" ? (contact?.name ?? "Customer") : "Support"}</strong>{" "}
                <time dateTime={message.at}>{when(message.at)}</time>
              </p>
              <p className="message-body">{message.body}</p>
            </li>
          ))}
        </ol>
        <ReplyComposer ticket={ticket} contact={contact} />
      </article>
      <aside className="assistant" aria-label="AI assistant">
        <ThreadSummary ticket={ticket} contact={contact} />
        <FieldExtractor ticket={ticket} contact={contact} />
      </aside>
    </div>
  );
}
