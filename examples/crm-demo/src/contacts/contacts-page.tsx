import { useCrm } from "../crm/crm-store.js";
import { formatDollars } from "../format-money.js";
import { hrefOf } from "../use-hash-route.js";

/** Every contact in a table; the chosen one's notes, tickets and deals beside it. */
export function ContactsPage({ contactId }: { contactId: string | undefined }) {
  const crm = useCrm();
  const selected = crm.contacts.find((contact) => contact.id === contactId);
  const tickets = crm.tickets.filter((ticket) => ticket.contactId === selected?.id);
  const deals = crm.deals.filter((deal) => deal.contactId === selected?.id);
  return (
    <div className="contacts">
      <section className="panel">
        <h1>Contacts</h1>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Company</th>
              <th scope="col">Email</th>
              <th scope="col">Open tickets</th>
            </tr>
          </thead>
          <tbody>
            {crm.contacts.map((contact) => (
              <tr key={contact.id} aria-selected={contact.id === selected?.id}>
                <td>
                  <a href={hrefOf("contacts", contact.id)}>{contact.name}</a>
                  <span className="muted small">{contact.title}</span>
                </td>
                <td>{contact.company}</td>
                <td>{contact.email}</td>
                <td>
                  {crm.tickets.filter((ticket) => ticket.contactId === contact.id && ticket.status !== "closed").length}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {selected && (
        <section className="panel contact-card" aria-label={selected.name}>
          <h2>{selected.name}</h2>
          <p className="muted">
            {selected.title}, {selected.company}
          </p>
          <p>
            {selected.email} · {selected.phone}
          </p>
          <h3>Notes</h3>
          <p>{selected.notes}</p>
          <h3>Tickets</h3>
          <ul>
            {tickets.map((ticket) => (
              <li key={ticket.id}>
                <a href={hrefOf("inbox", ticket.id)}>{ticket.subject}</a>{" "}
                <span className={`pill pill-${ticket.status}`}>{ticket.status}</span>
              </li>
            ))}
            {tickets.length === 0 && <li className="muted">None</li>}
          </ul>
          <h3>Deals</h3>
          <ul>
            {deals.map((deal) => (
              <li key={deal.id}>
                {deal.name} · {formatDollars(deal.amountUsd)} · {deal.stage}
              </li>
            ))}
            {deals.length === 0 && <li className="muted">None</li>}
          </ul>
        </section>
      )}
    </div>
  );
}
