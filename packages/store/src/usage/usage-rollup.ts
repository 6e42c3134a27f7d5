import type { Database } from "@modelfaucet/db";

/**
 * Folds usage events into `usage_daily` (migration 0015) up to a bound that
 * trails now() by `lagSeconds`, at most `maxDays` days of events per call
 * (a first run over a long history takes several calls; readers stay
 * complete meanwhile, they read what is not rolled up from the events).
 *
 * The lag is what makes a moving bound safe: an event's created_at is its
 * settling transaction's start, so one that commits a little after the
 * bound has passed its timestamp would otherwise be skipped for good. A
 * settlement holds its transaction for milliseconds; `lagSeconds` (60 by
 * default in the worker) is far beyond that.
 *
 * One transaction: the state row is locked first (concurrent workers queue,
 * then find nothing to do), events in [previous bound, new bound) are
 * summed and added to their days' rows, and the bound moves — all or
 * nothing. Returns the new bound (PostgreSQL's text of it), or null when
 * there was nothing to fold.
 */
export async function refreshUsageRollup(
  db: Database,
  options: { lagSeconds: number; maxDays: number },
): Promise<string | null> {
  return db.transaction(async (tx) => {
    // Bounds travel as text: a JS Date would drop their microseconds and count events twice or never.
    const { rows } = await tx.query<{ from_at: string | null; to_at: string | null; forward: boolean | null }>(
      `WITH state AS (SELECT rolled_up_to FROM usage_rollup_state FOR UPDATE),
            start AS (
              SELECT CASE WHEN rolled_up_to = '-infinity'
                       THEN (SELECT min(created_at) FROM usage_events) ELSE rolled_up_to END AS from_at
              FROM state)
       SELECT from_at::text, bound::text AS to_at, bound > from_at AS forward
       FROM start, LATERAL (SELECT least(now() - make_interval(secs => $1), from_at + make_interval(days => $2)) AS bound) b`,
      [options.lagSeconds, options.maxDays],
    );
    const window = rows[0];
    if (!window?.from_at || !window.to_at || !window.forward) return null;
    await tx.query(
      `INSERT INTO usage_daily AS d (developer_id, day, app_id, feature_key, route_mode, provider, model, requests,
              failed, input_tokens, output_tokens, cost_units, retail_units, developer_units, platform_units)
       SELECT developer_id, (created_at AT TIME ZONE 'UTC')::date, app_id, coalesce(feature_key, ''), route_mode,
              provider, model, count(*), count(*) FILTER (WHERE outcome = 'upstream_failed'), sum(input_tokens),
              sum(output_tokens), sum(cost_units), sum(retail_units), sum(developer_units), sum(platform_units)
       FROM usage_events WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz
       GROUP BY 1, 2, 3, 4, 5, 6, 7
       ON CONFLICT (developer_id, day, app_id, feature_key, route_mode, provider, model) DO UPDATE SET
         requests = d.requests + excluded.requests, failed = d.failed + excluded.failed,
         input_tokens = d.input_tokens + excluded.input_tokens, output_tokens = d.output_tokens + excluded.output_tokens,
         cost_units = d.cost_units + excluded.cost_units, retail_units = d.retail_units + excluded.retail_units,
         developer_units = d.developer_units + excluded.developer_units,
         platform_units = d.platform_units + excluded.platform_units`,
      [window.from_at, window.to_at],
    );
    await tx.query("UPDATE usage_rollup_state SET rolled_up_to = $1::timestamptz", [window.to_at]);
    return window.to_at;
  });
}
