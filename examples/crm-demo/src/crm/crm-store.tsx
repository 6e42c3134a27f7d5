import { createContext, useContext, useMemo, useReducer, type ReactNode } from "react";
import contactsJson from "../data/contacts.json";
import dealsJson from "../data/deals.json";
import ticketsJson from "../data/tickets.json";
import type { Contact, Deal, Ticket, TicketStatus } from "./crm-types.js";

// The demo's records live in the page's memory, seeded from data/*.json: a reload starts over.
const SEED = {
  contacts: contactsJson as Contact[],
  deals: dealsJson as Deal[],
  tickets: ticketsJson as Ticket[],
};

type CrmState = typeof SEED;

type CrmAction =
  | { type: "reply"; ticketId: string; body: string; at: string }
  | { type: "status"; ticketId: string; status: TicketStatus };

function reduce(state: CrmState, action: CrmAction): CrmState {
  const tickets = state.tickets.map((ticket) => {
    if (ticket.id !== action.ticketId) return ticket;
    if (action.type === "status") return { ...ticket, status: action.status };
    const reply = { from: "agent" as const, at: action.at, body: action.body };
    return { ...ticket, status: "pending" as const, messages: [...ticket.messages, reply] };
  });
  return { ...state, tickets };
}

export interface Crm extends CrmState {
  contact(id: string): Contact | undefined;
  /** Sends the agent's reply: it joins the thread and the ticket waits on the customer. */
  reply(ticketId: string, body: string): void;
  setStatus(ticketId: string, status: TicketStatus): void;
}

const CrmContext = createContext<Crm | null>(null);

export function CrmProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(reduce, SEED);
  const crm = useMemo<Crm>(() => {
    const byId = new Map(state.contacts.map((contact) => [contact.id, contact]));
    return {
      ...state,
      contact: (id) => byId.get(id),
      reply: (ticketId, body) => dispatch({ type: "reply", ticketId, body, at: new Date().toISOString() }),
      setStatus: (ticketId, status) => dispatch({ type: "status", ticketId, status }),
    };
  }, [state]);
  return <CrmContext.Provider value={crm}>{children}</CrmContext.Provider>;
}

export function useCrm(): Crm {
  const crm = useContext(CrmContext);
  if (!crm) throw new Error("useCrm outside CrmProvider");
  return crm;
}
