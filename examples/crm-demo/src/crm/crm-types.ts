export interface Contact {
  id: string;
  name: string;
  title: string;
  company: string;
  email: string;
  phone: string;
  notes: string;
}

export type TicketStatus = "open" | "pending" | "closed";

export interface TicketMessage {
  from: "customer" | "agent";
  /** ISO 8601. */
  at: string;
  body: string;
}

export interface Ticket {
  id: string;
  subject: string;
  contactId: string;
  status: TicketStatus;
  priority: "low" | "normal" | "high";
  messages: TicketMessage[];
}

export const DEAL_STAGES = ["lead", "qualified", "proposal", "negotiation", "won", "lost"] as const;

export interface Deal {
  id: string;
  name: string;
  contactId: string;
  stage: (typeof DEAL_STAGES)[number];
  /** Whole US dollars per year. */
  amountUsd: number;
  /** YYYY-MM-DD. */
  closeDate: string;
}
