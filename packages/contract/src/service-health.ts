import { z } from "zod";

/** `GET /health` (both services): the process is alive. */
export const healthSchema = z.object({ status: z.literal("ok"), service: z.string() });

export type Health = z.output<typeof healthSchema>;

/**
 * `GET /ready` (both services): the database is reachable and migrated. Not
 * ready is a 503 with this body and the error envelope's `error` beside it.
 * Each check is `ok` or `failed: <reason>`; the API adds `gateway_base_url`.
 */
export const readinessSchema = z.looseObject({
  status: z.enum(["ready", "not_ready"]),
  service: z.string(),
  checks: z.object({ database: z.string(), migrations: z.string() }),
  database: z.string(),
});

export type Readiness = z.output<typeof readinessSchema>;
