import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServiceMetrics, loadConfig, type SessionAuthenticator } from "@modelfaucet/server-kit";
import Fastify from "fastify";
import type { AttemptTracer } from "../../apps/gateway/src/reliability/run-on-routes.js";
import { gatewayTelemetry } from "../../apps/gateway/src/telemetry/gateway-telemetry.js";
import { requestTracingPlugin } from "../../packages/server-kit/src/telemetry/request-tracing-plugin.js";

/**
 * `pnpm bench:tracing`: the CPU OpenTelemetry tracing adds to one Gateway
 * request, in this process — the request span, its auth, hold, attempt and
 * settle spans, their attributes, and the batching OTLP/HTTP export (to a
 * local sink that answers 200, flushed inside the measurement) — against the
 * same request with tracing off, where the Gateway wraps nothing. The
 * dependencies are stubs answering at once, so what is timed is the
 * tracing machinery alone (the token and spend counters run on both sides).
 * Off and on alternate over several rounds, and CPU time is measured rather
 * than wall time, which a busy machine skews. Knob: BENCH_TRACING_RUNS
 * (requests per round, default 5,000).
 */
// The billing types as the Gateway's telemetry takes them (the scripts do not depend on @modelfaucet/billing).
type Billing = Parameters<ReturnType<typeof gatewayTelemetry>["billing"]>[0];
type Hold = Parameters<Billing["settle"]>[0];
type UsageRecord = Parameters<Billing["settle"]>[1];

const runs = Number(process.env.BENCH_TRACING_RUNS ?? 5000);
const rounds = 3;

const session = {
  sessionId: "ses_bench",
  appId: "app_bench",
  developerId: "dev_bench",
  endUserId: "usr_bench",
  featureKey: null,
  expiresAt: new Date(Date.now() + 3_600_000),
};
const hold: Hold = { usageEventId: "use_bench", heldUnits: 1_000_000n };
const record = {
  requestId: "req_bench",
  session,
  featureKey: "bench",
  routeMode: "platform",
  provider: "mock",
  model: "mock-small",
  stream: false,
  outcome: "completed",
  usageSource: "upstream",
  usage: { inputTokens: 40, cachedInputTokens: 0, outputTokens: 64 },
  charge: { cost: 1000n, retail: 1300n, developer: 120n, platform: 180n },
  attempts: [],
} as UsageRecord;
const stubSessions: SessionAuthenticator = { authenticate: async () => session };
const stubBilling: Billing = {
  hold: async () => hold,
  settle: async () => ({ availableUnits: 0n }),
  release: async () => undefined,
};

/** A Fastify app with the Gateway's decorated dependencies around stubs, tracing on or off as `config` says. */
async function buildApp(endpoint: string | undefined) {
  const config = loadConfig({ NODE_ENV: "test", ...(endpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } : {}) });
  const telemetry = gatewayTelemetry("@modelfaucet/gateway", config);
  const app = Fastify();
  if (telemetry.requestTracing) await app.register(requestTracingPlugin, telemetry.requestTracing);
  const sessions = telemetry.sessions(stubSessions);
  const billing = telemetry.billing(stubBilling, createServiceMetrics("@modelfaucet/gateway"));
  const traceAttempt: AttemptTracer | undefined = telemetry.traceAttempt;
  const attempt = {
    endpoint: "chat completions",
    route_mode: "platform",
    provider: "mock",
    model: "mock-small",
    attempt: 1,
  } as const;
  app.post("/v1/chat/completions", async () => {
    const user = await sessions.authenticate("mf_sess_bench");
    const held = await billing.hold(user, 1_000_000n, "req_bench");
    const answer = async () => ({ ok: true });
    await (traceAttempt ? traceAttempt(attempt, answer) : answer());
    await billing.settle(held, record);
    return { ok: true };
  });
  await app.ready();
  return { app, shutdown: telemetry.shutdown };
}

async function measure(endpoint: string | undefined): Promise<{ cpuUs: number; p50Us: number }> {
  const { app, shutdown } = await buildApp(endpoint);
  const request = { method: "POST" as const, url: "/v1/chat/completions", payload: { model: "mock-small" } };
  for (let index = 0; index < 500; index++) await app.inject(request);
  const times: number[] = [];
  const before = process.cpuUsage();
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await app.inject(request);
    times.push(performance.now() - started);
  }
  await shutdown(); // the export of what is still queued counts too
  const cpu = process.cpuUsage(before);
  await app.close();
  times.sort((a, b) => a - b);
  return { cpuUs: (cpu.user + cpu.system) / runs, p50Us: times[Math.floor(times.length / 2)]! * 1000 };
}

let exported = 0;
const sink = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    exported += 1;
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const endpoint = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
// Round 1's "off" runs before tracing ever started in this process, as in a Gateway without the setting; later
// ones run with the AsyncLocalStorage context manager registered (process-wide, from the first "on").
const lines: string[] = [];
for (let round = 1; round <= rounds; round++) {
  const off = await measure(undefined);
  const on = await measure(endpoint);
  lines.push(
    `round ${round}: CPU per request off ${off.cpuUs.toFixed(1)} µs, on ${on.cpuUs.toFixed(1)} µs ` +
      `(+${(on.cpuUs - off.cpuUs).toFixed(1)} µs); p50 off ${off.p50Us.toFixed(1)} µs, on ${on.p50Us.toFixed(1)} µs`,
  );
}
sink.close();
process.stdout.write(`${lines.join("\n")}\n${exported} OTLP posts received, ${runs} requests per side per round\n`);
