// The counters spending budgets are enforced with (migration 0019). Money
// never moves here: a counter counts what its subject spent and has held in
// one bucket. Invariant per bucket: held = Σ its reservations; a reservation
// leaves it once — settled (its actual amounts move to spent), released, or
// swept by the worker after its expiry. Every statement that locks counters
// locks them in (counter_key, bucket_start) order, so holds, settlements and
// sweeps never deadlock one another.
import type { Database, Queryable } from "@modelfaucet/db";

/** One counter bucket: which counter, which bucket. */
export interface CounterBucket {
  counterKey: string;
  bucketStart: Date;
}

/** A span of one counter's buckets, `from` to `to` inclusive (one bucket for a calendar period, a window's hours). */
export interface CounterSpan {
  counterKey: string;
  from: Date;
  to: Date;
}

/** What a span of buckets counts: spent (settled) and held (in flight), USD units and tokens. */
export interface CounterUsage {
  spentUnits: bigint;
  heldUnits: bigint;
  spentTokens: number;
  heldTokens: number;
}

/** A budget to check on a span: its limits (undefined = none); the reservation must fit both. */
export interface SpanLimit extends CounterSpan {
  maxUnits: bigint | undefined;
  maxTokens: number | undefined;
}

export interface ReserveBudgetsInput {
  usageEventId: string;
  /** The buckets the request is counted in: the current bucket of each counter, each once. */
  buckets: CounterBucket[];
  /** Every budget that applies, on its span. */
  limits: SpanLimit[];
  units: bigint;
  tokens: number;
  expiresAt: Date;
}

/** The reservation was made, or the first budget it did not fit (its index in `limits`) and what that span used. */
export type ReserveBudgetsResult = { reserved: true } | { reserved: false; index: number; usage: CounterUsage };

interface UsageRow {
  i: number;
  spent_units: string;
  held_units: string;
  spent_tokens: string;
  held_tokens: string;
}

const bucketsJson = (buckets: CounterBucket[]) =>
  JSON.stringify(
    [...buckets]
      .sort((a, b) => compareBuckets(a, b))
      .map((bucket) => ({ key: bucket.counterKey, bucket: bucket.bucketStart.toISOString() })),
  );

function compareBuckets(a: CounterBucket, b: CounterBucket): number {
  if (a.counterKey !== b.counterKey) return a.counterKey < b.counterKey ? -1 : 1;
  return a.bucketStart.getTime() - b.bucketStart.getTime();
}

const toUsage = (row: UsageRow | undefined): CounterUsage => ({
  spentUnits: BigInt(row?.spent_units ?? "0"),
  heldUnits: BigInt(row?.held_units ?? "0"),
  spentTokens: Number(row?.spent_tokens ?? "0"),
  heldTokens: Number(row?.held_tokens ?? "0"),
});

/** What each span counts, in the order given (a span without buckets counts zero). */
export async function readCounterSpans(q: Queryable, spans: CounterSpan[]): Promise<CounterUsage[]> {
  if (spans.length === 0) return [];
  const { rows } = await q.query<UsageRow>(
    `SELECT s.i, coalesce(sum(c.spent_units), 0)::text AS spent_units, coalesce(sum(c.held_units), 0)::text AS held_units,
            coalesce(sum(c.spent_tokens), 0)::text AS spent_tokens, coalesce(sum(c.held_tokens), 0)::text AS held_tokens
       FROM jsonb_to_recordset($1::jsonb) AS s(i int, key text, "from" timestamptz, "to" timestamptz)
       LEFT JOIN budget_counters c ON c.counter_key = s.key AND c.bucket_start BETWEEN s."from" AND s."to"
      GROUP BY s.i`,
    [
      JSON.stringify(
        spans.map((span, i) => ({ i, key: span.counterKey, from: span.from.toISOString(), to: span.to.toISOString() })),
      ),
    ],
  );
  const byIndex = new Map(rows.map((row) => [Number(row.i), row]));
  return spans.map((_, i) => toUsage(byIndex.get(i)));
}

/** Later than any bucket a budget reads: the open end of a rolling window's later hours. */
const END_OF_TIME = new Date("9999-12-31T00:00:00Z");

/** A rolling window's buckets other than its current one (`to`): the hours before it and any after. */
function otherBuckets(limit: SpanLimit): CounterSpan[] {
  const { counterKey, from, to } = limit;
  return [
    { counterKey, from, to: new Date(to.getTime() - 1) },
    { counterKey, from: new Date(to.getTime() + 1), to: END_OF_TIME },
  ];
}

/** A reservation that did not fit: thrown inside the transaction to roll it back. */
class Refused extends Error {
  constructor(
    readonly index: number,
    readonly usage: CounterUsage,
  ) {
    super("budget reservation refused");
  }
}

const plus = (a: CounterUsage, b: CounterUsage): CounterUsage => ({
  spentUnits: a.spentUnits + b.spentUnits,
  heldUnits: a.heldUnits + b.heldUnits,
  spentTokens: a.spentTokens + b.spentTokens,
  heldTokens: a.heldTokens + b.heldTokens,
});

function within(limit: SpanLimit, usage: CounterUsage): boolean {
  if (limit.maxUnits !== undefined && usage.spentUnits + usage.heldUnits > limit.maxUnits) return false;
  if (limit.maxTokens !== undefined && usage.spentTokens + usage.heldTokens > limit.maxTokens) return false;
  return true;
}

/**
 * Reserves `units` and `tokens` on every bucket of `buckets` if, for every
 * limit, spent + held + this stays within it — all or none, in one
 * transaction of one statement (two with a rolling window): the current
 * buckets are created or updated in key order, which locks them until the
 * commit, so concurrent reservations on a budget queue on its current bucket
 * and each is checked against exact counts; one that does not fit is rolled
 * back. A counter with a rolling window is first locked as a whole (a
 * transaction-scoped advisory lock per counter, taken in key order before
 * any row): at an hour's turn, two requests would otherwise each lock their
 * own current hour and miss the other's reservation. Its other hours — the
 * older ones, and a later one a request that read the clock after this one
 * has reserved in — are then read in a statement of their own (a fresh
 * snapshot, after the lock); what settles in an older hour meanwhile only
 * moves from held to spent.
 */
export async function reserveBudgets(db: Database, input: ReserveBudgetsInput): Promise<ReserveBudgetsResult> {
  const rollingKeys = [...new Set(input.limits.filter((limit) => limit.from < limit.to).map((l) => l.counterKey))];
  try {
    await db.transaction(async (tx) => {
      if (rollingKeys.length > 0) {
        await tx.query(
          `SELECT pg_advisory_xact_lock(hashtext('budget_counter:' || key))
             FROM (SELECT key FROM jsonb_array_elements_text($1::jsonb) AS k(key) ORDER BY key) AS ordered`,
          [JSON.stringify(rollingKeys)],
        );
      }
      const { rows } = await tx.query<UsageRow & { key: string }>(
        `WITH c AS (
           INSERT INTO budget_counters AS b (counter_key, bucket_start, held_units, held_tokens)
           SELECT key, bucket, $2, $3 FROM jsonb_to_recordset($1::jsonb) AS j(key text, bucket timestamptz)
            ORDER BY key, bucket
           ON CONFLICT (counter_key, bucket_start) DO UPDATE
             SET held_units = b.held_units + EXCLUDED.held_units, held_tokens = b.held_tokens + EXCLUDED.held_tokens
           RETURNING counter_key, bucket_start, spent_units, held_units, spent_tokens, held_tokens),
         r AS (
           INSERT INTO budget_reservations (usage_event_id, counter_key, bucket_start, held_units, held_tokens, expires_at)
           SELECT $4, counter_key, bucket_start, $2, $3, $5 FROM c)
         SELECT counter_key AS key, 0 AS i, spent_units::text, held_units::text, spent_tokens::text, held_tokens::text
           FROM c`,
        [
          bucketsJson(input.buckets),
          input.units.toString(),
          input.tokens,
          input.usageEventId,
          input.expiresAt.toISOString(),
        ],
      );
      const current = new Map(rows.map((row) => [row.key, toUsage(row)]));
      // A span longer than its current bucket (a rolling window): its other buckets — the earlier hours, and any
      // later one, where a request that read the clock after this one's has already reserved.
      const others = input.limits.map((limit) => (limit.from < limit.to ? otherBuckets(limit) : []));
      const otherUsage = await readCounterSpans(tx, others.flat());
      let next = 0;
      for (const [index, limit] of input.limits.entries()) {
        const now = current.get(limit.counterKey);
        if (!now) throw new Error(`budget counter ${limit.counterKey} was not reserved on`);
        const usage = others[index]!.reduce((sum) => plus(sum, otherUsage[next++]!), now);
        if (!within(limit, usage)) {
          // What the budget counted without this request, for the refusal.
          const without = {
            ...usage,
            heldUnits: usage.heldUnits - input.units,
            heldTokens: usage.heldTokens - input.tokens,
          };
          throw new Refused(index, without);
        }
      }
    });
  } catch (error) {
    if (error instanceof Refused) return { reserved: false, index: error.index, usage: error.usage };
    throw error;
  }
  return { reserved: true };
}

/**
 * How a reservation resolves: `actual` moves it to spent at these amounts
 * (zero = a release); `fromUsageEvent` counts its usage event's retail price
 * and tokens if the event exists, else nothing (the worker's sweep).
 */
export type ReservationOutcome = { actual: { units: bigint; tokens: number } } | { fromUsageEvent: true };

/**
 * Resolves one request's reservations in one statement: takes them (a
 * reservation resolves once: a settlement and a sweep racing for it find it
 * gone after the first), locks their buckets in key order and moves their
 * held amounts out, adding the outcome to spent. Answers how many buckets it
 * resolved (0: nothing was reserved, or it was already resolved).
 */
export async function resolveBudgetReservation(
  q: Queryable,
  usageEventId: string,
  outcome: ReservationOutcome,
): Promise<number> {
  const actual = "actual" in outcome ? outcome.actual : undefined;
  const { rowCount } = await q.query(
    `WITH r AS (
       DELETE FROM budget_reservations WHERE usage_event_id = $1
       RETURNING counter_key, bucket_start, held_units, held_tokens),
     locked AS (
       SELECT c.counter_key, c.bucket_start FROM budget_counters c
         JOIN r ON c.counter_key = r.counter_key AND c.bucket_start = r.bucket_start
        ORDER BY c.counter_key, c.bucket_start FOR NO KEY UPDATE OF c),
     spent AS (
       SELECT coalesce($2::numeric, (SELECT retail_units FROM usage_events WHERE id = $1), 0) AS units,
              coalesce($3::bigint, (SELECT input_tokens + output_tokens FROM usage_events WHERE id = $1), 0) AS tokens)
     UPDATE budget_counters c
        SET held_units = c.held_units - r.held_units, held_tokens = c.held_tokens - r.held_tokens,
            spent_units = c.spent_units + spent.units, spent_tokens = c.spent_tokens + spent.tokens
       FROM r, locked, spent
      WHERE c.counter_key = r.counter_key AND c.bucket_start = r.bucket_start
        AND locked.counter_key = r.counter_key AND locked.bucket_start = r.bucket_start`,
    [usageEventId, actual?.units.toString() ?? null, actual?.tokens ?? null],
  );
  return rowCount;
}

/**
 * The worker's pass: resolves the reservations expired before `now` — each
 * counted at its usage event's amounts when the settlement committed (the
 * Gateway died before updating the counters), dropped otherwise — and
 * deletes buckets no budget can read any more (older than the longest
 * window or period, with nothing held). Answers how many requests it resolved.
 */
export async function sweepBudgetReservations(db: Database, options: { now: Date; limit: number }): Promise<number> {
  const { rows } = await db.query<{ usage_event_id: string }>(
    `SELECT DISTINCT usage_event_id FROM budget_reservations WHERE expires_at < $1 LIMIT $2`,
    [options.now.toISOString(), options.limit],
  );
  let resolved = 0;
  for (const row of rows) {
    if ((await resolveBudgetReservation(db, row.usage_event_id, { fromUsageEvent: true })) > 0) resolved += 1;
  }
  await db.query(
    `DELETE FROM budget_counters WHERE (counter_key, bucket_start) IN (
       SELECT c.counter_key, c.bucket_start FROM budget_counters c
        WHERE c.bucket_start < $1::timestamptz - interval '32 days' AND c.held_units = 0 AND c.held_tokens = 0
          AND NOT EXISTS (SELECT 1 FROM budget_reservations r
                           WHERE r.counter_key = c.counter_key AND r.bucket_start = c.bucket_start)
        LIMIT $2)`,
    [options.now.toISOString(), options.limit],
  );
  return resolved;
}
