/**
 * `pnpm measure:usage-pagination` (not a test): the developer usage views on
 * PostgreSQL with a million usage events of one app — first page, a deep page
 * by cursor, a date range, a walk through every page, revenue totals and
 * groupings — timed through the API (inject, no network) and EXPLAINed with
 * generic plans forced (what prepared statements end up with); then
 * `usage.csv` of all of them streamed over a real port, with this process's
 * heap sampled while it streams.
 *
 *   pnpm measure:usage-pagination -- [--url postgres://postgres@127.0.0.1:5432/mf_pagination] [--events 1000000]
 *
 * The database named by --url is dropped and created afresh: its name must
 * start with `mf_pagination`.
 */
import { parseArgs } from "node:util";
import { buildApi } from "@modelfaucet/api";
import { migrate, openPostgres, seed, type Database } from "@modelfaucet/db";
import { createLogger } from "@modelfaucet/server-kit";
import { testConfig } from "@modelfaucet/server-kit/testing";
import pg from "pg";
import { revenueStatement, usageCursor, usagePageStatement, type Statement } from "@modelfaucet/store/testing";
import { insertSyntheticUsage } from "../tests/helpers/synthetic-usage.js";

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    url: { type: "string", default: "postgres://postgres@127.0.0.1:5432/mf_pagination" },
    events: { type: "string", default: "1000000" },
  },
});
const EVENTS = Number(args.events);
const APP = "app_demo";
const DEVELOPER = "dev_demo";
const OTHER_APP = "app_other";
const OTHER_DEVELOPER = "dev_other";
const TOKEN = "measure-developer-admin-token-0123456789";
const ADMIN = "measure-admin-token-0123456789abcdef";
const NEWEST = new Date("2026-06-30T23:59:59Z");
// One year of events, evenly spread.
const STEP_US = Math.floor((365 * 86_400 * 1_000_000) / EVENTS);
const REPEATS = 20;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function recreate(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^mf_pagination[a-z0-9_]*$/.test(name))
    throw new Error(`refusing to recreate ${name}: not an mf_pagination database`);
  target.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

async function prepare(db: Database): Promise<void> {
  await migrate(db);
  await seed(db);
  const started = performance.now();
  // Another developer's app as busy as the measured one, interleaved in time: the views must skip its rows.
  await db.query(`INSERT INTO developers (id, name, email) VALUES ($1, 'Other', 'other@example.com')`, [
    OTHER_DEVELOPER,
  ]);
  await db.query(`INSERT INTO apps (id, developer_id, name, session_mode) VALUES ($1, $2, 'Other', 'signed')`, [
    OTHER_APP,
    OTHER_DEVELOPER,
  ]);
  for (const [appId, developerId, prefix] of [
    [APP, DEVELOPER, "m"],
    [OTHER_APP, OTHER_DEVELOPER, "o"],
  ] as const) {
    await insertSyntheticUsage(db, {
      appId,
      developerId,
      count: EVENTS,
      newest: NEWEST,
      stepMicroseconds: STEP_US,
      prefix,
    });
  }
  await db.exec("ANALYZE usage_events");
  say(
    `inserted ${EVENTS.toLocaleString("en")} usage events of each of 2 apps in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** p50 and max of `REPEATS` timed runs, ms. */
async function timed(run: () => Promise<void>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return `p50 ${times[Math.floor(REPEATS / 2)]!.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms`;
}

/** The plan's node lines and execution time, with a generic plan forced as prepared statements get. */
async function explain(db: Database, { sql, values }: Statement): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.query("SET LOCAL plan_cache_mode = force_generic_plan");
    // No parameter types: PostgreSQL infers them from the statement, as for the API's own.
    await tx.exec(`PREPARE measured AS ${sql}`);
    const literals = values.map((value) => (typeof value === "number" ? String(value) : `'${String(value)}'`));
    const { rows } = await tx.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) EXECUTE measured(${literals.join(", ")})`,
    );
    await tx.exec("DEALLOCATE measured");
    const lines = rows.map((row) => row["QUERY PLAN"]);
    const nodes = lines.filter((line) => /Scan|Sort|Aggregate|Index Cond|Execution Time/.test(line));
    return nodes.map((line) => `      ${line.trim()}`).join("\n");
  });
}

/** Streams usage.csv of every event over a real port, counting rows and sampling the heap every 100 ms. */
async function streamCsv(api: Awaited<ReturnType<typeof buildApi>>): Promise<string> {
  const base = await api.listen({ host: "127.0.0.1", port: 0 });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapMax = heapBefore;
  const sampler = setInterval(() => (heapMax = Math.max(heapMax, process.memoryUsage().heapUsed)), 100);
  const started = performance.now();
  const response = await fetch(`${base}/v1/admin/reports/usage.csv?from=2025-01-01`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  let lines = 0;
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) lines += decoder.decode(chunk, { stream: true }).split("\n").length - 1;
  clearInterval(sampler);
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return (
    `  usage.csv, all events: ${(lines - 1).toLocaleString("en")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
    `heap ${mb(heapBefore)} MB before, ${mb(heapMax)} MB at most while streaming`
  );
}

async function main(): Promise<void> {
  await recreate(args.url);
  const db = openPostgres({ url: args.url, poolMax: 4 });
  try {
    await prepare(db);
    const api = await buildApi({
      config: testConfig({ DEVELOPER_ADMIN_TOKEN: TOKEN, ADMIN_TOKEN: ADMIN, API_RATE_LIMIT_MAX_REQUESTS: "0" }),
      db,
      logger: createLogger({ level: "silent" }),
    });
    const get = async (url: string) => {
      const response = await api.inject({ method: "GET", url, headers: { authorization: `Bearer ${TOKEN}` } });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json<{ next_cursor?: string | null }>();
    };

    const deep = (
      await db.query<{ at: string; id: string }>(
        `SELECT created_at::text AS at, id FROM usage_events WHERE app_id = $1
         ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
        [APP, Math.floor(EVENTS * 0.9)],
      )
    ).rows[0]!;
    const deepCursor = usageCursor.encode([deep.at, deep.id]);
    const weekTo = new Date(NEWEST.getTime() - 180 * 86_400_000).toISOString();
    const weekFrom = new Date(NEWEST.getTime() - 187 * 86_400_000).toISOString();
    const monthFrom = new Date(NEWEST.getTime() - 30 * 86_400_000).toISOString();
    const usage = `/v1/apps/${APP}/usage`;
    const revenue = `/v1/developers/${DEVELOPER}/revenue`;

    say(`\nthrough the API (${REPEATS} runs each, after one warm-up):`);
    const cases: Array<[string, string, Statement]> = [
      [
        "usage, first page (50)",
        `${usage}?limit=50`,
        usagePageStatement({
          appId: APP,
          developerId: DEVELOPER,
          from: undefined,
          to: undefined,
          after: undefined,
          limit: 51,
        }),
      ],
      [
        `usage, deep page by cursor (row ${Math.floor(EVENTS * 0.9).toLocaleString("en")}, 50)`,
        `${usage}?limit=50&cursor=${deepCursor}`,
        usagePageStatement({
          appId: APP,
          developerId: DEVELOPER,
          from: undefined,
          to: undefined,
          after: [deep.at, deep.id],
          limit: 51,
        }),
      ],
      [
        "usage, one week 6 months back (500)",
        `${usage}?limit=500&from=${weekFrom}&to=${weekTo}`,
        usagePageStatement({
          appId: APP,
          developerId: DEVELOPER,
          from: weekFrom,
          to: weekTo,
          after: undefined,
          limit: 501,
        }),
      ],
      [
        "revenue, all time",
        revenue,
        revenueStatement({ developerId: DEVELOPER, from: undefined, to: undefined, groupBy: undefined }),
      ],
      [
        "revenue, last 30 days by day",
        `${revenue}?group_by=day&from=${monthFrom}`,
        revenueStatement({ developerId: DEVELOPER, from: monthFrom, to: undefined, groupBy: "day" }),
      ],
      ...(["day", "feature", "route_mode", "model"] as const).map((group): [string, string, Statement] => [
        `revenue, all time by ${group}`,
        `${revenue}?group_by=${group}`,
        revenueStatement({ developerId: DEVELOPER, from: undefined, to: undefined, groupBy: group }),
      ]),
    ];
    const plans: string[] = [];
    for (const [name, url, statement] of cases) {
      await get(url);
      say(`  ${name.padEnd(52)} ${await timed(() => get(url).then(() => undefined))}`);
      plans.push(`  ${name}:\n${await explain(db, statement)}`);
    }

    const started = performance.now();
    let pages = 0;
    let slowest = 0;
    let cursor: string | null | undefined;
    do {
      const pageStarted = performance.now();
      cursor = (await get(`${usage}?limit=500${cursor ? `&cursor=${cursor}` : ""}`)).next_cursor;
      slowest = Math.max(slowest, performance.now() - pageStarted);
      pages++;
    } while (cursor);
    const total = performance.now() - started;
    say(
      `  walk of all ${EVENTS.toLocaleString("en")} events, 500 a page: ${pages} pages in ${(total / 1000).toFixed(1)} s ` +
        `(mean ${(total / pages).toFixed(2)} ms, slowest ${slowest.toFixed(2)} ms)`,
    );
    say(await streamCsv(api));
    say("\nplans (generic, EXPLAIN ANALYZE BUFFERS; scan nodes and time):");
    for (const plan of plans) say(plan);
    await api.close();
  } finally {
    await db.close();
  }
}

await main();
