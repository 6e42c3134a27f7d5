import type { UserUsagePage } from "@modelfaucet/contract";
import { formatUsd, type RouteMode } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { usageCursor } from "./usage-views.js";

export interface UserUsagePageInput {
  endUserId: string;
  /** Only the rows of this x-request-id. */
  requestId: string | undefined;
  /** The previous page's `next_cursor`. */
  cursor: string | undefined;
  limit: number;
}

interface UserUsageRow {
  id: string;
  request_id: string;
  feature_key: string | null;
  route_mode: RouteMode;
  provider: string;
  model: string;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  retail_units: string;
  created_at: Date;
  created_at_text: string;
}

/**
 * One page of an end user's own usage events, newest first, keyset-paginated
 * on (created_at, id) like the developer's view (usage-views.ts), over
 * usage_events_end_user_created_idx. `price_usd` is what the user was
 * charged (the retail price); the split is not theirs to see.
 */
export async function userUsagePage(db: Queryable, input: UserUsagePageInput): Promise<UserUsagePage> {
  const values: unknown[] = [input.endUserId];
  const conditions = ["end_user_id = $1"];
  if (input.requestId !== undefined) conditions.push(`request_id = $${values.push(input.requestId)}`);
  if (input.cursor !== undefined) {
    const [createdAt, id] = usageCursor.decode(input.cursor);
    conditions.push(`(created_at, id) < ($${values.push(createdAt)}::timestamptz, $${values.push(id)})`);
  }
  const { rows } = await db.query<UserUsageRow>(
    `SELECT id, request_id, feature_key, route_mode, provider, model, input_tokens, cached_tokens, output_tokens,
            retail_units::text, created_at, created_at::text AS created_at_text
       FROM usage_events WHERE ${conditions.join(" AND ")}
      ORDER BY created_at DESC, id DESC LIMIT $${values.push(input.limit + 1)}`,
    values,
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      request_id: row.request_id,
      feature_key: row.feature_key,
      route_mode: row.route_mode,
      provider: row.provider,
      model: row.model,
      input_tokens: row.input_tokens,
      cached_tokens: row.cached_tokens,
      output_tokens: row.output_tokens,
      price_usd: formatUsd(BigInt(row.retail_units)),
      created_at: row.created_at.toISOString(),
    })),
    next_cursor: rows.length > input.limit && last ? usageCursor.encode([last.created_at_text, last.id]) : null,
  };
}
