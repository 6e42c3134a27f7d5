import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { DEMO } from "@modelfaucet/db";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { parseCsv } from "@modelfaucet/store/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, testApi } from "./helpers/services.js";

let database: TestDatabase;
let api: FastifyInstance;
let apiUrl: string;
const END_USER = "usr_reports";

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.query("INSERT INTO end_users (id, app_id, external_user_hmac) VALUES ($1, $2, 'hmac-reports')", [
    END_USER,
    DEMO.appId,
  ]);
  api = await testApi(database.db);
  await api.listen({ host: "127.0.0.1", port: 0 });
  apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api.close();
  await database.db.close();
});

/** Inserts `count` usage events from `start`, one `stepMs` apart, with this feature key. */
async function insertUsage(prefix: string, count: number, start: string, stepMs: number, featureKey: string) {
  await database.db.query(
    `INSERT INTO usage_events (id, request_id, app_id, developer_id, end_user_id, session_id, feature_key, route_mode,
       provider, model, stream, outcome, usage_source, input_tokens, cached_tokens, output_tokens,
       cost_units, retail_units, developer_units, platform_units, held_units, created_at)
     SELECT $1 || i, 'req_' || $1 || i, $2, $3, $4, 'ses_reports', $5, 'platform', 'mock', 'mock-small', false,
            'completed', 'upstream', 10, 0, 20, 1000, 1300, 120, 180, 2000,
            $6::timestamptz + (i * $7::bigint) * interval '1 millisecond'
     FROM generate_series(1, $8::int) AS i`,
    [prefix, DEMO.appId, DEMO.developerId, END_USER, featureKey, start, stepMs, count],
  );
}

const report = (path: string, token = ADMIN_TOKEN) =>
  fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe("GET /v1/admin/reports/*.csv", () => {
  it("neutralizes a formula in usage.csv and filters by date", async () => {
    await insertUsage("use_formula", 2, "2025-03-10T12:00:00Z", 1000, '=HYPERLINK("http://x","y")');
    await insertUsage("use_before", 1, "2025-03-09T12:00:00Z", 1000, "chat");
    await insertUsage("use_after", 1, "2025-03-11T00:00:00Z", 1000, "chat");
    const response = await report("/v1/admin/reports/usage.csv?from=2025-03-10&to=2025-03-11");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="usage_2025-03-10_2025-03-11.csv"');
    const text = await response.text();
    expect(text).toContain('"\'=HYPERLINK(""http://x"",""y"")"');
    const [header, ...rows] = parseCsv(text);
    expect(header![0]).toBe("created_at");
    expect(rows).toHaveLength(2);
    const feature = header!.indexOf("feature_key");
    expect(rows.map((row) => row[feature])).toEqual(['\'=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")']);
    expect(rows[0]![header!.indexOf("retail_usd")]).toBe("0.00001300");
    expect(rows[0]![0]).toBe("2025-03-10T12:00:01.000000Z");

    const revenue = parseCsv(
      await (await report("/v1/admin/reports/revenue.csv?from=2025-03-09&to=2025-03-12")).text(),
    );
    expect(revenue.slice(1).map((row) => [row[0], row[3], row[5], row[8]])).toEqual([
      ["2025-03-09", "chat", "1", "0.00001300"],
      ["2025-03-10", '\'=HYPERLINK("http://x","y")', "2", "0.00002600"],
      ["2025-03-11", "chat", "1", "0.00001300"],
    ]);
  });

  it("answers payouts.csv with at least a header, and refuses bad input and missing tokens", async () => {
    const payouts = await report("/v1/admin/reports/payouts.csv");
    expect(payouts.status).toBe(200);
    expect((await payouts.text()).split("\r\n")[0]).toMatch(/^id,/);
    expect((await report("/v1/admin/reports/usage.csv?from=yesterday")).status).toBe(400);
    expect((await report("/v1/admin/reports/usage.csv?from=2025-02-01&to=2025-01-01")).status).toBe(400);
    expect((await report("/v1/admin/reports/usage.csv", "wrong")).status).toBe(403);
    expect((await fetch(`${apiUrl}/v1/admin/reports/usage.csv`)).status).toBe(401);
  });

  it("streams 200k usage rows with bounded heap", { timeout: 240_000 }, async () => {
    const rows = 200_000;
    await insertUsage("use_bulk", rows, "2024-06-01T00:00:00Z", 10, "bulk");
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    const response = await report("/v1/admin/reports/usage.csv?from=2024-06-01&to=2024-06-02");
    expect(response.status).toBe(200);
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      bytes += chunk.byteLength;
      lines += decoder.decode(chunk, { stream: true }).split("\n").length - 1;
      if (++chunks % 200 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(lines).toBe(rows + 1);
    expect(bytes).toBeGreaterThan(30_000_000);
    // Live heap while streaming stays a small fraction of the file: never built in memory.
    expect(peak).toBeLessThan(Math.min(bytes / 5, 16_000_000));
  });
});
