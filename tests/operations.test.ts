import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import type { FastifyInstance } from "fastify";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText, promtoolCheck } from "./helpers/prometheus-text.js";
import { captureLogger } from "@modelfaucet/server-kit/testing";
import { ADMIN_TOKEN, testApi, testGateway } from "./helpers/services.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.db.close();
});

const services = [
  { name: "@modelfaucet/api", build: (env?: Record<string, string>) => testApi(database.db, env) },
  { name: "@modelfaucet/gateway", build: (env?: Record<string, string>) => testGateway(database.db, env) },
];

function expectEnvelope(
  response: { headers: Record<string, unknown>; json: () => unknown },
  code: string,
  param: string | null = null,
) {
  const requestId = response.headers["x-request-id"];
  expect(typeof requestId).toBe("string");
  expect(response.json()).toEqual({
    error: { code, message: expect.any(String), request_id: requestId, type: expect.any(String), param },
  });
}

describe.each(services)("$name operations", ({ name, build }) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app.close());

  it("keeps a sane caller request id on success and on error", async () => {
    const ok = await app.inject({ url: "/health", headers: { "x-request-id": "trace-42 abc" } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["x-request-id"]).toBe("trace-42 abc");

    const missing = await app.inject({ url: "/nope", headers: { "x-request-id": "trace-43" } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.request_id).toBe("trace-43");
  });

  it("replaces an over-long or non-printable request id with a generated one", async () => {
    for (const bad of ["x".repeat(2000), "abc\u0001def", "tab\there", "ünïcødé", " "]) {
      const response = await app.inject({ url: "/nope", headers: { "x-request-id": bad } });
      const id = response.headers["x-request-id"] as string;
      expect(id).toMatch(/^req_[0-9a-f]{24}$/);
      expect(response.json().error.request_id).toBe(id);
    }
  });

  it("generates distinct ids when the caller sends none", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await app.inject({ url: "/health" })).headers["x-request-id"] as string);
    expect(ids.size).toBe(50);
  });

  it("answers an unknown route with the not_found envelope", async () => {
    const response = await app.inject({ method: "POST", url: "/v1/does/not/exist?x=1" });
    expect(response.statusCode).toBe(404);
    expectEnvelope(response, "not_found");
  });

  it("answers malformed JSON with invalid_request, never a 500", async () => {
    for (const payload of ["{bad", '{"a":', "[1,2", '{"__proto__":{"x":1}}', "\u0000"]) {
      const response = await app.inject({
        method: "POST",
        url: "/nope",
        headers: { "content-type": "application/json" },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expectEnvelope(response, "invalid_request");
    }
  });

  it("answers a 10 MB body over a real socket with 413 and the envelope, without hanging", async () => {
    const server = await build();
    await server.listen({ host: "127.0.0.1", port: 0 });
    try {
      const { port } = server.server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "big-body" },
        body: JSON.stringify({ blob: randomBytes(10 * 1024 * 1024 * 0.75).toString("base64") }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(response.status).toBe(413);
      expect(response.headers.get("x-request-id")).toBe("big-body");
      expect(await response.json()).toEqual({
        error: {
          code: "payload_too_large",
          message: expect.any(String),
          request_id: "big-body",
          type: "invalid_request_error",
          param: null,
        },
      });
    } finally {
      await server.close();
    }
  });

  it("reports liveness and readiness without secrets", async () => {
    expect((await app.inject({ url: "/health" })).json()).toMatchObject({ status: "ok", service: name });
    const ready = await app.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: "ready", checks: { database: "ok", migrations: "ok" } });
    expect(ready.body).not.toMatch(/postgres(ql)?:\/\/|password|token/i);
  });

  it("serves valid Prometheus text with the seed's metric names", async () => {
    await app.inject({ url: "/health" });
    const response = await app.inject({ url: "/metrics" });
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    const samples = parsePrometheusText(response.body);
    promtoolCheck(response.body);
    const health = samples.find(
      (sample) => sample.name === "modelfaucet_http_requests_total" && sample.labels.route === "/health",
    );
    expect(health?.labels).toMatchObject({ service: name, method: "GET", status: "200" });
    for (const suffix of ["_sum", "_count", "_bucket"]) {
      expect(samples.some((sample) => sample.name === `modelfaucet_http_request_duration_ms${suffix}`)).toBe(true);
    }
    expect(response.body).toContain("# TYPE modelfaucet_rate_limited_total counter");
    expect(samples.some((sample) => sample.name.startsWith("process_cpu"))).toBe(true);
  });

  it("adds no series for 1,000 random unknown paths", async () => {
    await app.inject({ url: "/warm-up-unmatched" });
    const seriesCount = async () => parsePrometheusText((await app.inject({ url: "/metrics" })).body).length;
    const before = await seriesCount();
    await fc.assert(
      fc.asyncProperty(fc.webPath(), async (path) => {
        const response = await app.inject({ url: `/x${path}` });
        expect(response.statusCode).toBe(404);
      }),
      { numRuns: 1000 },
    );
    expect(await seriesCount()).toBe(before);
  });
});

describe("input validation on a real route", () => {
  it("answers an unsupported content type with 415 and the envelope", async () => {
    const app = await testApi(database.db);
    try {
      const response = await app.inject({
        method: "POST",
        url: "/v1/admin/developers",
        headers: { "content-type": "application/x-weird", authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: "x",
      });
      expect(response.statusCode).toBe(415);
      expectEnvelope(response, "unsupported_media_type");
    } finally {
      await app.close();
    }
  });

  it("answers wrong types and missing fields with a field-level invalid_request", async () => {
    const app = await testApi(database.db);
    try {
      const cases: Array<[unknown, string | null]> = [
        [{}, "name"],
        [{ name: 42, email: "a@b.co" }, "name"],
        [{ name: "x", email: "not-an-email" }, "email"],
        [[], null],
      ];
      for (const [payload, param] of cases) {
        const response = await app.inject({
          method: "POST",
          url: "/v1/admin/developers",
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          payload: payload as object,
        });
        expect(response.statusCode).toBe(400);
        expectEnvelope(response, "invalid_request", param);
      }
    } finally {
      await app.close();
    }
  });

  it("refuses admin routes without the admin token", async () => {
    const app = await testApi(database.db);
    try {
      const none = await app.inject({ url: "/v1/admin/developers" });
      expect(none.statusCode).toBe(401);
      expectEnvelope(none, "unauthorized");
      const wrong = await app.inject({ url: "/v1/admin/developers", headers: { authorization: "Bearer nope" } });
      expect(wrong.statusCode).toBe(403);
      expectEnvelope(wrong, "forbidden");
    } finally {
      await app.close();
    }
  });
});

describe("unexpected failures", () => {
  it("answer 500 internal_error without internals, and log the error under the request id", async () => {
    const { logger, lines } = captureLogger("info");
    const app = await testApi(database.db, {}, { logger });
    app.get("/boom", async () => {
      throw new Error("connection string postgres://user:hunter2@db failed at line 42");
    });
    try {
      const response = await app.inject({ url: "/boom", headers: { "x-request-id": "boom-1" } });
      expect(response.statusCode).toBe(500);
      expectEnvelope(response, "internal_error");
      expect(response.body).not.toMatch(/hunter2|line 42|at .*\.ts/);
      logger.flush();
      const logged = lines.map((line) => JSON.parse(line)).filter((entry) => entry.request_id === "boom-1");
      expect(logged.some((entry) => entry.level === 50 && String(entry.err?.stack).includes("line 42"))).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe("rate limits in memory", () => {
  it("refuses the request over the limit with 429, Retry-After and a metric", async () => {
    const app = await testApi(database.db, { API_RATE_LIMIT_MAX_REQUESTS: "3", API_RATE_LIMIT_WINDOW_MS: "60000" });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await app.inject({ url: "/health" })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await app.inject({ url: "/health", headers: { "x-request-id": "limited-1" } });
      expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(limited.json().error).toMatchObject({ code: "rate_limited", request_id: "limited-1" });
      // Another route has its own bucket.
      expect((await app.inject({ url: "/ready" })).statusCode).toBe(200);
      const metrics = parsePrometheusText((await app.inject({ url: "/metrics" })).body);
      const counted = metrics.find(
        (sample) => sample.name === "modelfaucet_rate_limited_total" && sample.labels.route === "/health",
      );
      expect(counted?.value).toBe(3);
    } finally {
      await app.close();
    }
  });

  it("counts per client IP, and trusts X-Forwarded-For only when TRUST_PROXY says so", async () => {
    const limits = { API_RATE_LIMIT_MAX_REQUESTS: "1" };
    const untrusted = await testApi(database.db, limits);
    const trusted = await testApi(database.db, { ...limits, TRUST_PROXY: "true" });
    try {
      const from = (app: FastifyInstance, ip: string) =>
        app.inject({ url: "/health", headers: { "x-forwarded-for": ip } }).then((response) => response.statusCode);
      expect([await from(untrusted, "10.0.0.1"), await from(untrusted, "10.0.0.2")]).toEqual([200, 429]);
      expect([await from(trusted, "10.0.0.1"), await from(trusted, "10.0.0.2")]).toEqual([200, 200]);
      expect(await from(trusted, "10.0.0.1")).toBe(429);
    } finally {
      await Promise.all([untrusted.close(), trusted.close()]);
    }
  });

  it("is off when the maximum is 0", async () => {
    const app = await testApi(database.db, { API_RATE_LIMIT_MAX_REQUESTS: "0" });
    try {
      for (let i = 0; i < 50; i++) expect((await app.inject({ url: "/health" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
