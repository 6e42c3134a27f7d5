import type { Queryable } from "@modelfaucet/db";

export interface SyntheticUsage {
  appId: string;
  developerId: string;
  /** How many events to write, in one INSERT … SELECT. */
  count: number;
  /** Newest event's time; event i (1-based) is `stepMicroseconds × (count − i)` earlier. */
  newest: Date;
  stepMicroseconds: number;
  /** Prefix of the generated ids, so several batches can share a database. */
  prefix: string;
}

export const SYNTHETIC_FEATURES = ["chat", "summaries", "search"] as const;
export const SYNTHETIC_ROUTE_MODES = ["platform", "developer_key", "byok", "local"] as const;
export const SYNTHETIC_MODELS = ["mock-small", "mock-large"] as const;
/** Retail and developer share of every synthetic event, units of 1e-8 USD. */
export const SYNTHETIC_RETAIL_UNITS = 1300n;
export const SYNTHETIC_DEVELOPER_UNITS = 120n;

/**
 * Writes `count` settled usage events of one app (and an end user for them)
 * straight into the table — for pagination tests and measurements, not a
 * billing path: no ledger transfers go with them. Features, route modes and
 * models cycle, so every grouping has several groups.
 */
export async function insertSyntheticUsage(q: Queryable, usage: SyntheticUsage): Promise<void> {
  const endUserId = `usr_${usage.prefix}`;
  await q.query(`INSERT INTO end_users (id, app_id, external_user_hmac) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
    endUserId,
    usage.appId,
    `synthetic-${usage.prefix}`,
  ]);
  await q.query(
    `INSERT INTO usage_events (id, request_id, app_id, developer_id, end_user_id, session_id, feature_key, route_mode,
       provider, model, stream, outcome, usage_source, input_tokens, cached_tokens, output_tokens, cost_units,
       retail_units, developer_units, platform_units, held_units, created_at)
     SELECT 'use_' || $1 || '_' || i, 'req_' || $1 || '_' || i, $2, $3, $4, 'ses_' || $1,
       ($5::text[])[1 + i % 3], ($6::text[])[1 + i % 4], 'mock', ($7::text[])[1 + i % 2], false, 'completed',
       'upstream', 100, 0, 50, 1000, 1300, 120, 180, 2000,
       $8::timestamptz - make_interval(secs => ($9::bigint - i) * $10::double precision / 1000000)
     FROM generate_series(1, $9::bigint) AS i`,
    [
      usage.prefix,
      usage.appId,
      usage.developerId,
      endUserId,
      SYNTHETIC_FEATURES,
      SYNTHETIC_ROUTE_MODES,
      SYNTHETIC_MODELS,
      usage.newest.toISOString(),
      usage.count,
      usage.stepMicroseconds,
    ],
  );
}
