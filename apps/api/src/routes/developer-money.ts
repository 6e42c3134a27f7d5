import { AppError, formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { developerAccountId, getBalance } from "@modelfaucet/ledger";
import { actingDeveloperId, developerOf, tenantOf, type DeveloperAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { findApp } from "../developer-console/app-store.js";

const cursor = {
  encode: (createdAt: Date, id: string) =>
    Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url"),
  decode(value: string): [string, string] {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString());
      if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === "string")) {
        return [parsed[0] as string, parsed[1] as string];
      }
    } catch {
      // fall through to the error below
    }
    throw new AppError("invalid_request", "cursor: not a cursor returned by this endpoint.");
  },
};

const usageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

interface UsageRow {
  id: string;
  request_id: string;
  feature_key: string | null;
  route_mode: string;
  provider: string;
  model: string;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  retail_units: string;
  developer_units: string;
  created_at: Date;
}

export interface DeveloperMoneyOptions {
  db: Database;
  auth: DeveloperAuthenticator;
}

/**
 * Developer money views (scope `developer:operations:read`): an app's usage,
 * a developer's revenue. A `mf_dev_` token sees its own developer's only:
 * another developer's app is 404, another developer's revenue 403.
 */
export async function developerMoneyRoutes(app: FastifyInstance, { db, auth }: DeveloperMoneyOptions) {
  const operationsRead = { onRequest: auth.requireDeveloper("developer:operations:read") };

  /** Newest first, keyset-paginated on (created_at, id) so deep pages stay fast. */
  app.get("/v1/apps/:publicAppId/usage", operationsRead, async (request) => {
    const { publicAppId } = z.object({ publicAppId: z.string().min(1).max(100) }).parse(request.params);
    const query = usageQuery.parse(request.query);
    const { developer_id: developerId } = await findApp(db, tenantOf(developerOf(request)), publicAppId);
    const after = query.cursor ? cursor.decode(query.cursor) : null;
    const { rows } = await db.query<UsageRow>(
      `SELECT id, request_id, feature_key, route_mode, provider, model, input_tokens, cached_tokens, output_tokens,
              retail_units::text, developer_units::text, created_at
       FROM usage_events
       WHERE app_id = $1 AND developer_id = $7
         AND ($2::timestamptz IS NULL OR created_at >= $2) AND ($3::timestamptz IS NULL OR created_at < $3)
         AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5))
       ORDER BY created_at DESC, id DESC LIMIT $6`,
      [
        publicAppId,
        query.from ?? null,
        query.to ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        query.limit + 1,
        developerId,
      ],
    );
    const page = rows.slice(0, query.limit);
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
        retail_price_usd: formatUsd(BigInt(row.retail_units)),
        channel_revenue_usd: formatUsd(BigInt(row.developer_units)),
        created_at: row.created_at.toISOString(),
      })),
      next_cursor: rows.length > query.limit && last ? cursor.encode(last.created_at, last.id) : null,
    };
  });

  app.get("/v1/developers/:id/revenue", operationsRead, async (request) => {
    const params = z.object({ id: z.string().min(1).max(100) }).parse(request.params);
    const id = actingDeveloperId(developerOf(request), params.id, "id");
    const { rows } = await db.query<{ requests: string; retail: string; earned: string }>(
      `SELECT count(*)::text AS requests, coalesce(sum(retail_units), 0)::text AS retail,
              coalesce(sum(developer_units), 0)::text AS earned
       FROM usage_events WHERE developer_id = $1`,
      [id],
    );
    const developer = await db.query("SELECT 1 FROM developers WHERE id = $1", [id]);
    if (developer.rows.length === 0) throw new AppError("not_found", "Unknown developer.");
    const balance = await getBalance(db, developerAccountId(id));
    const totals = rows[0]!;
    return {
      developer_id: id,
      requests: Number(totals.requests),
      retail_usd: formatUsd(BigInt(totals.retail)),
      earned_usd: formatUsd(BigInt(totals.earned)),
      balance_usd: formatUsd(balance?.balance ?? 0n),
      available_usd: formatUsd(balance?.available ?? 0n),
    };
  });
}
