import { healthSchema, readinessSchema } from "@modelfaucet/contract";
import { errorEnvelope } from "@modelfaucet/core";
import { currentMigrationVersion, latestMigrationVersion, type Database } from "@modelfaucet/db";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { ServiceMetrics } from "../metrics.js";
import type { RouteContract } from "../openapi/route-contract.js";
import type { DatabaseAvailability } from "./database-availability.js";

export interface ReadinessOptions {
  db: Database;
  /** Longest a readiness check may wait on the database before it reports failure. */
  timeoutMs: number;
  metrics: ServiceMetrics;
  /** Told what each check found, so an outage seen by /ready is logged like one seen by a request. */
  availability: DatabaseAvailability;
  /** Safe facts the service reports about itself (never URLs with credentials). */
  details: Record<string, string>;
}

type CheckResult = { ok: true } | { ok: false; reason: string };

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One query answers both checks: it reaches the database (with a timeout, so a
 * dead server is reported within `timeoutMs`, never by hanging) and reads the
 * applied migration version. Concurrent probes share one in-flight check.
 */
function createChecker(db: Database, timeoutMs: number, availability: DatabaseAvailability) {
  let inFlight: Promise<{ database: CheckResult; migrations: CheckResult }> | undefined;
  const run = async () => {
    try {
      const applied = await withTimeout(currentMigrationVersion(db), timeoutMs);
      availability.answered();
      const expected = latestMigrationVersion();
      const migrations: CheckResult =
        applied >= expected
          ? { ok: true }
          : { ok: false, reason: `schema at version ${applied}, this build needs ${expected}; run pnpm db:migrate` };
      return { database: { ok: true } as CheckResult, migrations };
    } catch (error) {
      availability.failed(error);
      const reason = error instanceof TimeoutError ? error.message : "unreachable";
      return {
        database: { ok: false, reason } as CheckResult,
        migrations: { ok: false, reason: "unknown: database unreachable" } as CheckResult,
      };
    }
  };
  return () => {
    inFlight ??= run().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

const health: RouteContract = { summary: "Liveness: the process is up", auth: "none", response: healthSchema };

const readiness: RouteContract = {
  summary: "Readiness: the database is reachable and migrated",
  description: "503 with the same body and the error envelope's `error` when not ready. Never shows a secret.",
  auth: "none",
  response: readinessSchema,
};

const describe = (result: CheckResult) => (result.ok ? "ok" : `failed: ${result.reason}`);

/** `GET /health`: the process is alive. `GET /ready`: it can serve (database reachable and migrated). */
export const readinessPlugin = fp<ReadinessOptions>(
  async (app: FastifyInstance, { db, timeoutMs, metrics, availability, details }) => {
    const check = createChecker(db, timeoutMs, availability);

    app.get("/health", { config: { contract: health } }, async () => ({ status: "ok", service: metrics.service }));

    app.get("/ready", { config: { contract: readiness } }, async (request, reply) => {
      const { database, migrations } = await check();
      const ready = database.ok && migrations.ok;
      metrics.ready.set({ service: metrics.service }, ready ? 1 : 0);
      const body = {
        status: ready ? "ready" : "not_ready",
        service: metrics.service,
        checks: { database: describe(database), migrations: describe(migrations) },
        database: db.kind,
        ...details,
      };
      if (ready) return body;
      const failed = Object.entries(body.checks)
        .filter(([, value]) => value !== "ok")
        .map(([name, value]) => `${name} ${value}`);
      return reply
        .code(503)
        .send({ ...body, ...errorEnvelope("not_ready", `Not ready: ${failed.join("; ")}.`, request.id) });
    });
  },
  { name: "modelfaucet-readiness" },
);
