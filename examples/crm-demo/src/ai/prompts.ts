import type { Contact, Ticket } from "../crm/crm-types.js";

const COMPANY = "Parcelly, a shipping-label and parcel-tracking service for online shops";

/** A ticket's thread as plain text, oldest message first, for a model to read. */
export function threadText(ticket: Ticket, contact: Contact | undefined): string {
  const customer = contact ? `${contact.name} (${contact.title}, ${contact.company})` : "the customer";
  const lines = ticket.messages.map(
    (message) =>
      `[${message.at.slice(0, 16).replace("T", " ")}] ${message.from === "customer" ? customer : "Support"}:\n${message.body}`,
  );
  return `Ticket ${ticket.id}: ${ticket.subject}\n\n${lines.join("\n\n")}`;
}

export const REPLY_INSTRUCTIONS =
  `You are a support agent at ${COMPANY}. Draft the next reply to the customer in this ticket: ` +
  "warm, specific, under 120 words, no promises you cannot keep, signed 'The Parcelly team'. Answer with the reply only.";

export const SUMMARY_INSTRUCTIONS =
  `You summarize support tickets at ${COMPANY}. In at most three short bullet points: ` +
  "what the customer needs, what was done so far, and what should happen next.";

/** The fields extract_fields asks for, with how each reads in the CRM. */
export const EXTRACTED_FIELDS = {
  customer_name: "Customer",
  company: "Company",
  order_numbers: "Order numbers",
  product: "Product / area",
  sentiment: "Sentiment",
  urgency: "Urgency",
  requested_action: "Requested action",
} as const;

export const EXTRACTION_INSTRUCTIONS =
  `You extract structured data from support tickets at ${COMPANY}. Answer with one JSON object and nothing else, ` +
  `with exactly these keys: ${Object.keys(EXTRACTED_FIELDS).join(", ")}. ` +
  "order_numbers is an array of strings; sentiment is positive, neutral or negative; urgency is low, normal or high. " +
  "Use null for a value the ticket does not give.";
