import type { Queryable } from "@modelfaucet/db";

/**
 * Local tickets (`local_tickets`, migration 0016): one per local call, a
 * bearer credential for its one usage report. Rows are written once; the
 * worker only closes them after their grace period. Whether a ticket is
 * settled is read from its usage event, which commits with the money.
 */

/** A ticket to store: who pays, for which feature, at what fee; the token itself is never stored. */
export interface NewLocalTicket {
  id: string;
  tokenHash: string;
  /** The usage event the report will write; the wallet hold is `hold:<usageEventId>`. */
  usageEventId: string;
  appId: string;
  developerId: string;
  endUserId: string;
  sessionId: string;
  featureKey: string;
  requestedModel: string | null;
  feeUnits: bigint;
  channelShareBps: number;
  /** Reports are accepted until `ttlSeconds + graceSeconds` after now (the database's clock). */
  ttlSeconds: number;
  graceSeconds: number;
}

/** A stored ticket, with what became of it, read on the database's clock. */
export interface LocalTicketRecord {
  id: string;
  usageEventId: string;
  appId: string;
  developerId: string;
  endUserId: string;
  sessionId: string;
  featureKey: string;
  feeUnits: bigint;
  channelShareBps: number;
  expiresAt: Date;
  /** The grace period is over: no report is accepted any more. */
  graceOver: boolean;
  /** The worker closed it (`released`: its hold was voided unreported). */
  closedAs: "settled" | "released" | null;
  /** The report that settled it: its request id and what it was charged; null while unsettled. */
  settled: { requestId: string; retailUnits: bigint } | null;
}

interface LocalTicketRow {
  id: string;
  usage_event_id: string;
  app_id: string;
  developer_id: string;
  end_user_id: string;
  session_id: string;
  feature_key: string;
  fee_units: string;
  channel_share_bps: number;
  expires_at: Date;
  grace_over: boolean;
  closed_as: LocalTicketRecord["closedAs"];
  settled_request_id: string | null;
  settled_retail_units: string | null;
}

const SELECT = `
  SELECT t.id, t.usage_event_id, t.app_id, t.developer_id, t.end_user_id, t.session_id, t.feature_key,
         t.fee_units::text, t.channel_share_bps, t.expires_at, now() > t.grace_ends_at AS grace_over, t.closed_as,
         u.request_id AS settled_request_id, u.retail_units::text AS settled_retail_units
    FROM local_tickets t LEFT JOIN usage_events u ON u.id = t.usage_event_id`;

function toRecord(row: LocalTicketRow): LocalTicketRecord {
  return {
    id: row.id,
    usageEventId: row.usage_event_id,
    appId: row.app_id,
    developerId: row.developer_id,
    endUserId: row.end_user_id,
    sessionId: row.session_id,
    featureKey: row.feature_key,
    feeUnits: BigInt(row.fee_units),
    channelShareBps: row.channel_share_bps,
    expiresAt: row.expires_at,
    graceOver: row.grace_over,
    closedAs: row.closed_as,
    settled:
      row.settled_request_id === null
        ? null
        : { requestId: row.settled_request_id, retailUnits: BigInt(row.settled_retail_units ?? "0") },
  };
}

/** Stores a ticket; answers when it expires (now + ttl, on the database's clock). */
export async function insertLocalTicket(q: Queryable, ticket: NewLocalTicket): Promise<{ expiresAt: Date }> {
  const { rows } = await q.query<{ expires_at: Date }>(
    `INSERT INTO local_tickets (id, token_hash, usage_event_id, app_id, developer_id, end_user_id, session_id,
       feature_key, requested_model, fee_units, channel_share_bps, expires_at, grace_ends_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
       now() + make_interval(secs => $12), now() + make_interval(secs => $12 + $13))
     RETURNING expires_at`,
    [
      ticket.id,
      ticket.tokenHash,
      ticket.usageEventId,
      ticket.appId,
      ticket.developerId,
      ticket.endUserId,
      ticket.sessionId,
      ticket.featureKey,
      ticket.requestedModel,
      ticket.feeUnits.toString(),
      ticket.channelShareBps,
      ticket.ttlSeconds,
      ticket.graceSeconds,
    ],
  );
  return { expiresAt: rows[0]!.expires_at };
}

/** The ticket whose token hashes to `tokenHash`; undefined when there is none. */
export async function findLocalTicket(q: Queryable, tokenHash: string): Promise<LocalTicketRecord | undefined> {
  const { rows } = await q.query<LocalTicketRow>(`${SELECT} WHERE t.token_hash = $1`, [tokenHash]);
  return rows[0] && toRecord(rows[0]);
}

/** Open tickets whose grace period is over, oldest first, at most `limit`: the worker's pass. */
export async function localTicketsPastGrace(q: Queryable, limit: number): Promise<LocalTicketRecord[]> {
  const { rows } = await q.query<LocalTicketRow>(
    `${SELECT} WHERE t.closed_at IS NULL AND t.grace_ends_at < now() ORDER BY t.grace_ends_at LIMIT $1`,
    [limit],
  );
  return rows.map(toRecord);
}

/** Records what became of a ticket past its grace period. Closing twice keeps the first answer. */
export async function closeLocalTicket(q: Queryable, id: string, closedAs: "settled" | "released"): Promise<void> {
  await q.query("UPDATE local_tickets SET closed_at = now(), closed_as = $2 WHERE id = $1 AND closed_at IS NULL", [
    id,
    closedAs,
  ]);
}
