import { useCrm } from "../crm/crm-store.js";
import { hrefOf } from "../use-hash-route.js";
import { TicketView } from "./ticket-view.js";

const STATUS_ORDER = { open: 0, pending: 1, closed: 2 } as const;

/** The ticket inbox: open tickets first, the chosen one (or the first) beside the list. */
export function InboxPage({ ticketId }: { ticketId: string | undefined }) {
  const crm = useCrm();
  const tickets = [...crm.tickets].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  const selected = tickets.find((ticket) => ticket.id === ticketId) ?? tickets[0];
  return (
    <div className="inbox">
      <nav className="ticket-list" aria-label="Tickets">
        <h1>Inbox</h1>
        <ul>
          {tickets.map((ticket) => {
            const contact = crm.contact(ticket.contactId);
            const last = ticket.messages.at(-1);
            return (
              <li key={ticket.id}>
                <a
                  href={hrefOf("inbox", ticket.id)}
                  aria-current={ticket.id === selected?.id ? "true" : undefined}
                  data-status={ticket.status}
                >
                  <span className="ticket-line">
                    <strong>{contact?.name ?? "Unknown"}</strong>
                    <span className={`pill pill-${ticket.status}`}>{ticket.status}</span>
                  </span>
                  <span className="ticket-subject">{ticket.subject}</span>
                  <span className="ticket-preview">{last?.body}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      {selected ? <TicketView key={selected.id} ticket={selected} /> : <p className="empty">No tickets.</p>}
    </div>
  );
}
