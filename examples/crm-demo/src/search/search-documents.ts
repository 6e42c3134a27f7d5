import type { Crm } from "../crm/crm-store.js";
import { hrefOf } from "../use-hash-route.js";

/** Something search can find: its text for the model, and how it shows in the results. */
export interface SearchDocument {
  kind: "Ticket" | "Contact" | "Deal";
  title: string;
  detail: string;
  href: string;
  text: string;
}

/** Every ticket thread, contact note and deal of the CRM, as text to embed. */
export function searchDocuments(crm: Crm): SearchDocument[] {
  const tickets = crm.tickets.map((ticket) => ({
    kind: "Ticket" as const,
    title: ticket.subject,
    detail: crm.contact(ticket.contactId)?.name ?? "",
    href: hrefOf("inbox", ticket.id),
    text: `${ticket.subject}\n${ticket.messages.map((message) => message.body).join("\n")}`,
  }));
  const contacts = crm.contacts.map((contact) => ({
    kind: "Contact" as const,
    title: contact.name,
    detail: `${contact.title}, ${contact.company}`,
    href: hrefOf("contacts", contact.id),
    text: `${contact.name}, ${contact.title} at ${contact.company}. ${contact.notes}`,
  }));
  const deals = crm.deals.map((deal) => ({
    kind: "Deal" as const,
    title: deal.name,
    detail: crm.contact(deal.contactId)?.company ?? "",
    href: hrefOf("contacts", deal.contactId),
    text: `Deal: ${deal.name} with ${crm.contact(deal.contactId)?.company ?? "a customer"}, stage ${deal.stage}.`,
  }));
  return [...tickets, ...contacts, ...deals];
}
