import type { CATALOG_ROW_STATES, CatalogModel, CatalogModelBody, RetiredModel } from "@modelfaucet/contract";
import { AppError, formatUsd, isModelCapability, MODEL_CAPABILITIES } from "@modelfaucet/core";
import type { Database, Queryable } from "@modelfaucet/db";
import { appendAuditEntry, type AuditActor } from "../audit/append-audit-entry.js";

/**
 * The effective-dated `models` table as the operator edits it. Rows are
 * never edited: a price change, a retirement or a comeback is a NEW row with
 * its own `effective_from`, so the price any past moment saw stays readable
 * (usage already billed keeps its price anyway: usage_events store the rated
 * amounts).
 */
interface ModelRow {
  id: string;
  provider: string;
  upstream_model: string;
  input_price_per_mtok: string;
  cached_input_price_per_mtok: string;
  output_price_per_mtok: string;
  context_window: number;
  max_output_tokens: number;
  capabilities: string[];
  status: "active" | "retired";
  effective_from: Date;
  created_at: Date;
}

/** `current`: in effect now; `scheduled`: takes effect later; `superseded`: replaced by a later row. */
export type CatalogRowState = (typeof CATALOG_ROW_STATES)[number];

/** A price set this far in the past still counts as "now" (clock skew between caller and database). */
const PAST_TOLERANCE_MS = 60_000;

const COLUMNS = `id, provider, upstream_model, input_price_per_mtok::text AS input_price_per_mtok,
  cached_input_price_per_mtok::text AS cached_input_price_per_mtok, output_price_per_mtok::text AS output_price_per_mtok,
  context_window, max_output_tokens, capabilities, status, effective_from, created_at`;

const toWire = (row: ModelRow & { state?: CatalogRowState }): CatalogModel => ({
  id: row.id,
  provider: row.provider,
  upstream_model: row.upstream_model,
  input_usd_per_mtok: formatUsd(BigInt(row.input_price_per_mtok)),
  cached_input_usd_per_mtok: formatUsd(BigInt(row.cached_input_price_per_mtok)),
  output_usd_per_mtok: formatUsd(BigInt(row.output_price_per_mtok)),
  context_window: row.context_window,
  max_output_tokens: row.max_output_tokens,
  capabilities: row.capabilities.filter(isModelCapability),
  status: row.status,
  effective_from: row.effective_from.toISOString(),
  created_at: row.created_at.toISOString(),
  ...(row.state ? { state: row.state } : {}),
});

/** Every catalog row with its state, by id then time; `state` narrows to rows in that state. */
export async function listCatalogRows(q: Queryable, state: CatalogRowState | undefined): Promise<CatalogModel[]> {
  const { rows } = await q.query<ModelRow & { state: CatalogRowState }>(
    `SELECT * FROM (
       SELECT ${COLUMNS},
              CASE WHEN effective_from > now() THEN 'scheduled'
                   WHEN effective_from = max(effective_from) FILTER (WHERE effective_from <= now())
                                           OVER (PARTITION BY id) THEN 'current'
                   ELSE 'superseded' END AS state
       FROM models) m
     WHERE $1::text IS NULL OR state = $1
     ORDER BY id, effective_from`,
    [state ?? null],
  );
  return rows.map(toWire);
}

/**
 * A new model, or a new price for a known one, effective at
 * `body.effective_from` (now by default) — never in the past, which would
 * misstate what earlier usage was rated at. Fields the body leaves out are
 * copied from the model's row in effect at that time. The new row is
 * `active`; its audit entry is `model.create` or `model.price_set`.
 */
export async function setModelPrice(db: Database, body: CatalogModelBody, actor: AuditActor): Promise<CatalogModel> {
  return db.transaction(async (tx) => {
    const { rows: clock } = await tx.query<{ now: Date }>("SELECT now() AS now");
    const now = clock[0]!.now;
    const effectiveFrom = body.effective_from ? new Date(body.effective_from) : now;
    if (effectiveFrom.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
      throw new AppError(
        "invalid_request",
        "effective_from must be now or in the future: usage already rated keeps the price it was rated at.",
      );
    }
    // The row in effect at the new row's time (else the model's earliest), to fill what the body leaves out.
    const { rows: base } = await tx.query<ModelRow>(
      `SELECT ${COLUMNS} FROM models WHERE id = $1
       ORDER BY effective_from <= $2 DESC, CASE WHEN effective_from <= $2 THEN effective_from END DESC, effective_from
       LIMIT 1`,
      [body.id, effectiveFrom],
    );
    const values = resolveFields(body, base[0]);
    const { rows } = await tx.query<ModelRow>(
      `INSERT INTO models (id, provider, upstream_model, input_price_per_mtok, cached_input_price_per_mtok,
                           output_price_per_mtok, context_window, max_output_tokens, capabilities, status,
                           effective_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10)
       ON CONFLICT (id, effective_from) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        body.id,
        values.provider,
        values.upstreamModel,
        values.input.toString(),
        values.cachedInput.toString(),
        values.output.toString(),
        values.contextWindow,
        values.maxOutputTokens,
        values.capabilities,
        effectiveFrom,
      ],
    );
    const row = rows[0];
    if (!row) throw new AppError("conflict", "This model already has a row with this effective_from.");
    const model = toWire(row);
    await appendAuditEntry(tx, {
      ...actor,
      developerId: null,
      action: base[0] ? "model.price_set" : "model.create",
      resourceType: "model",
      resourceId: row.id,
      details: model,
    });
    return model;
  });
}

function resolveFields(body: CatalogModelBody, base: ModelRow | undefined) {
  const missing = (field: string): never => {
    throw new AppError("invalid_request", `${field} is required for a new model.`);
  };
  const input = body.input_usd_per_mtok ?? (base ? BigInt(base.input_price_per_mtok) : missing("input_usd_per_mtok"));
  return {
    provider: body.provider ?? base?.provider ?? missing("provider"),
    upstreamModel: body.upstream_model ?? base?.upstream_model ?? body.id,
    input,
    // A model without a cache discount charges cached input at the input price.
    cachedInput: body.cached_input_usd_per_mtok ?? (base ? BigInt(base.cached_input_price_per_mtok) : input),
    output: body.output_usd_per_mtok ?? (base ? BigInt(base.output_price_per_mtok) : missing("output_usd_per_mtok")),
    contextWindow: body.context_window ?? base?.context_window ?? missing("context_window"),
    maxOutputTokens: body.max_output_tokens ?? base?.max_output_tokens ?? missing("max_output_tokens"),
    // In MODEL_CAPABILITIES order, whatever order the body gave; a new model without them takes plain text only.
    capabilities: MODEL_CAPABILITIES.filter((capability) =>
      (body.capabilities ?? base?.capabilities ?? []).includes(capability),
    ),
  };
}

/**
 * Retires the model from now (a `retired` row copying the current one) and
 * drops its scheduled rows, which never took effect; 404 `not_found` when
 * the model has no row at all. Idempotent: retiring a retired model only
 * drops what was scheduled since.
 */
export async function retireModel(db: Database, id: string, actor: AuditActor): Promise<RetiredModel> {
  return db.transaction(async (tx) => {
    // Serialise catalog changes to this model (two retirements at once would otherwise both insert).
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('models:' || $1))", [id]);
    const { rows: current } = await tx.query<ModelRow>(
      `SELECT ${COLUMNS} FROM models WHERE id = $1 AND effective_from <= now() ORDER BY effective_from DESC LIMIT 1`,
      [id],
    );
    const dropped = await tx.query("DELETE FROM models WHERE id = $1 AND effective_from > now()", [id]);
    const audit = () =>
      appendAuditEntry(tx, {
        ...actor,
        developerId: null,
        action: "model.retire",
        resourceType: "model",
        resourceId: id,
        details: { cancelled_scheduled: dropped.rowCount },
      });
    const row = current[0];
    if (!row) {
      if (dropped.rowCount === 0) throw new AppError("not_found", "No model with this id.");
      await audit();
      return { id, status: "retired", retired_from: null, changed: true, cancelled_scheduled: dropped.rowCount };
    }
    if (row.status === "retired") {
      if (dropped.rowCount > 0) await audit();
      return {
        id,
        status: "retired",
        retired_from: row.effective_from.toISOString(),
        changed: dropped.rowCount > 0,
        cancelled_scheduled: dropped.rowCount,
      };
    }
    const { rows } = await tx.query<{ effective_from: Date }>(
      `INSERT INTO models (id, provider, upstream_model, input_price_per_mtok, cached_input_price_per_mtok,
                           output_price_per_mtok, context_window, max_output_tokens, capabilities, status,
                           effective_from)
       SELECT id, provider, upstream_model, input_price_per_mtok, cached_input_price_per_mtok,
              output_price_per_mtok, context_window, max_output_tokens, capabilities, 'retired', now()
       FROM models WHERE id = $1 AND effective_from = $2
       RETURNING effective_from`,
      [id, row.effective_from],
    );
    await audit();
    return {
      id,
      status: "retired",
      retired_from: rows[0]!.effective_from.toISOString(),
      changed: true,
      cancelled_scheduled: dropped.rowCount,
    };
  });
}
