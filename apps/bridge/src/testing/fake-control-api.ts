import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  localTicketBody,
  localUsageReportBody,
  type LocalTicket,
  type LocalUsageReport,
  type LocalUsageReportResult,
} from "@modelfaucet/contract";

/** A settled ticket: the one report that settled it. */
export interface Settlement {
  ticket: string;
  report: LocalUsageReport;
}

export interface FakeControlApi {
  url: string;
  /** Every report POST received, accepted or not. */
  reportPosts: Array<{ authorization: string | undefined; body: unknown; status: number }>;
  /** Settlements, one per ticket, in order. */
  settlements: Settlement[];
  /** While set, reports are answered 503 (an API outage the bridge retries). */
  unavailable: boolean;
  /** A report is settled at once but answered this much later, ms: a bridge killed meanwhile never hears it. */
  answerDelayMs: number;
  /** A ticket as the SDK would get it (`POST /v1/local/tickets`). */
  issueTicket(): Promise<string>;
  close(): Promise<void>;
}

const LOCAL_FEE_USD = "0.01000000";

/**
 * The two Control API endpoints of local metering, per CONTRACT.md, with an
 * in-memory ticket table: `POST /v1/local/tickets` issues a ticket;
 * `POST /v1/usage/local-report` with `Bearer <ticket>` parses the body with
 * the contract's strict schema (400), refuses an unknown ticket (401) and a
 * ticket already settled by another request (409), and answers a replay of
 * the same `request_id` with `already_settled`, changing nothing. Stands in
 * for the real API until the end-to-end tests use it.
 */
export async function startFakeControlApi(port = 0): Promise<FakeControlApi> {
  const tickets = new Map<string, Settlement | null>();
  const api: FakeControlApi = {
    url: "",
    reportPosts: [],
    settlements: [],
    unavailable: false,
    answerDelayMs: 0,
    issueTicket: async () => {
      const answer = await fetch(`${api.url}/v1/local/tickets`, {
        method: "POST",
        headers: { authorization: "Bearer mf_sess_test", "content-type": "application/json" },
        body: JSON.stringify({ feature_key: "customer_reply" }),
      });
      return ((await answer.json()) as LocalTicket).ticket;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer(async (req, res) => {
    const text = await readText(req);
    const path = new URL(req.url ?? "/", "http://api").pathname;
    if (req.method === "POST" && path === "/v1/local/tickets") return issue(text, tickets, res);
    if (req.method === "POST" && path === "/v1/usage/local-report") {
      const answer = report(api, tickets, req.headers.authorization, text);
      api.reportPosts.push({ authorization: req.headers.authorization, body: safeJson(text), status: answer.status });
      if (api.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, api.answerDelayMs));
      return send(res, answer.status, answer.body);
    }
    if (req.method === "GET" && path === "/health") return send(res, 200, { status: "ok" });
    send(res, 404, envelope("not_found", "No such route."));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

function issue(text: string, tickets: Map<string, Settlement | null>, res: ServerResponse): void {
  const parsed = localTicketBody.safeParse(safeJson(text));
  if (!parsed.success) return send(res, 400, envelope("invalid_request", "Bad ticket request."));
  const ticket = `lt_${randomBytes(16).toString("hex")}`;
  tickets.set(ticket, null);
  const granted: LocalTicket = {
    ticket,
    expires_at: new Date(Date.now() + 300_000).toISOString(),
    local_fee_usd: LOCAL_FEE_USD,
    feature_key: parsed.data.feature_key ?? "customer_reply",
    available_usd: "1.00000000",
  };
  send(res, 201, granted);
}

function report(
  api: FakeControlApi,
  tickets: Map<string, Settlement | null>,
  authorization: string | undefined,
  text: string,
): { status: number; body: unknown } {
  if (api.unavailable) return { status: 503, body: envelope("service_unavailable", "Try again later.") };
  const ticket = authorization?.startsWith("Bearer ") ? authorization.slice(7) : "";
  if (!tickets.has(ticket)) return { status: 401, body: envelope("unauthorized", "Unknown ticket.") };
  const parsed = localUsageReportBody.safeParse(safeJson(text));
  if (!parsed.success) {
    return { status: 400, body: envelope("invalid_request", "The report is not a local usage report.") };
  }
  const settled = tickets.get(ticket);
  const result = (outcome: LocalUsageReportResult["result"]): LocalUsageReportResult => ({
    request_id: parsed.data.request_id,
    result: outcome,
    price_usd: LOCAL_FEE_USD,
  });
  if (settled) {
    if (settled.report.request_id !== parsed.data.request_id) {
      return { status: 409, body: envelope("conflict", "This ticket was settled by another call.") };
    }
    return { status: 200, body: result("already_settled") };
  }
  const settlement = { ticket, report: parsed.data };
  tickets.set(ticket, settlement);
  api.settlements.push(settlement);
  return { status: 200, body: result("settled") };
}

function envelope(code: string, message: string) {
  return { error: { code, message, request_id: "req_fake", type: "invalid_request_error", param: null } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
