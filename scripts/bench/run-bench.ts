import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { runBudgetsPhase } from "./budgets-phase.js";
import { runLoad, type LoadResult } from "./load.js";
import { ORDER_ID_PATTERN, piiPrompt } from "./pii-prompt.js";
import type { PolicyPhaseStack } from "./policy-phase.js";
import { runRatesPhase } from "./rates-phase.js";

/**
 * `pnpm bench`: the Gateway's added latency and throughput against a bare
 * keep-alive proxy to the same mock provider, non-streaming and streaming.
 * Database: DATABASE_URL when set (PostgreSQL), else a temporary embedded one.
 * Knobs: BENCH_SECONDS (per throughput phase, default 10), BENCH_SEQUENTIAL
 * (requests at 1 in flight, default 2000), BENCH_CONCURRENCY (default 32),
 * BENCH_SOAK_SECONDS (memory phase, default 0 = skip). Then the cost of PII
 * redaction: a 2 KB prompt with six personal items under a feature with
 * `privacy: standard` and under one with `redact_pii_before_cloud`. Then the
 * cost of spending budgets (budgets-phase.ts) and of per-minute limits
 * (rates-phase.ts; in Redis when REDIS_URL is set).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const sequential = Number(process.env.BENCH_SEQUENTIAL ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 0);
const ports = { mock: 3909, proxy: 3910, api: 3911, gateway: 3912 };
const children: ChildProcess[] = [];

function start(
  entry: string,
  env: Record<string, string>,
  readyText: string,
  args: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(readyText)) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
}

/** CPU time the process has used (user + system), ms: /proc's clock ticks, 100 per second. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}

const fmt = (result: LoadResult) =>
  `${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (${result.requests} requests, ${result.errors} errors)`;

async function main() {
  const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), "modelfaucet-bench-"));
  const adminToken = "bench-admin-token-0123456789abcdef0123456789";
  const developerAdminToken = "bench-developer-admin-token-0123456789abcdef";
  await start("scripts/bench/mock-server.ts", { PORT: String(ports.mock) }, "ready");
  const mockUrl = `http://127.0.0.1:${ports.mock}`;
  await start("scripts/bench/bare-proxy.ts", { PORT: String(ports.proxy), UPSTREAM_URL: mockUrl }, "ready");
  const gatewayProcess = await start(
    "apps/cli/src/main.ts",
    {
      PORT_API: String(ports.api),
      PORT_GATEWAY: String(ports.gateway),
      MOCK_UPSTREAM_URL: mockUrl,
      ADMIN_TOKEN: adminToken,
      DEVELOPER_ADMIN_TOKEN: developerAdminToken,
      API_RATE_LIMIT_MAX_REQUESTS: "0",
      GATEWAY_RATE_LIMIT_MAX_REQUESTS: "0",
      ...(dataDir ? { MODELFAUCET_DATA_DIR: join(dataDir, "data") } : {}),
    },
    "ModelFaucet is running",
    ["start"],
  );
  // `pnpm start` spawns through tsx in the same process: the pid is the server's.
  const api = `http://127.0.0.1:${ports.api}`;
  // One end user per connection, as in real traffic: a single wallet's holds serialize on its row by design.
  const users: Array<{ authorization: string }> = [];
  for (let index = 0; index < concurrency; index++) {
    const session = await post(`${api}/v1/sessions`, {
      public_app_id: "app_demo",
      external_user_id: `bench-${Date.now()}-${index}`,
    });
    const auth = { authorization: `Bearer ${session.session_token}` };
    const wallet = (await (await fetch(`${api}/v1/user/wallet`, { headers: auth })).json()) as { wallet_id: string };
    await post(
      `${api}/v1/admin/wallets/${wallet.wallet_id}/credit-test-balance`,
      { amount_usd: "100000.00" },
      {
        authorization: `Bearer ${adminToken}`,
      },
    );
    users.push(auth);
  }

  const chat = { model: "mock-small", max_tokens: 64, messages: [{ role: "user", content: "Benchmark me, briefly." }] };
  const piiChat = (featureKey: string) => ({
    model: "mock-small",
    max_tokens: 64,
    messages: [{ role: "user", content: piiPrompt() }],
    metadata: { feature_key: featureKey },
  });
  const streamChat = { ...chat, stream: true, stream_options: { include_usage: true } };
  const targets = {
    proxy: {
      url: `http://127.0.0.1:${ports.proxy}`,
      headers: () => ({ "content-type": "application/json", authorization: "Bearer x" }),
    },
    gateway: {
      url: `http://127.0.0.1:${ports.gateway}`,
      headers: (index: number) => ({ "content-type": "application/json", ...users[index % users.length]! }),
    },
  };
  const path = "/v1/chat/completions";
  const load = (
    target: keyof typeof targets,
    body: unknown,
    extra: { concurrency: number; maxRequests: number; durationMs: number; firstByte?: boolean },
  ) => runLoad({ ...targets[target], path, body: JSON.stringify(body), ...extra });

  // Warm up both paths (JIT, pools, caches).
  for (const target of ["proxy", "gateway"] as const) {
    await load(target, chat, { concurrency: 8, maxRequests: 2000, durationMs: 5000 });
  }

  const results: Record<string, LoadResult> = {};
  const one = { concurrency: 1, maxRequests: sequential, durationMs: 120_000 };
  const many = { concurrency, maxRequests: Number.MAX_SAFE_INTEGER, durationMs: seconds * 1000 };
  for (const target of ["proxy", "gateway"] as const) {
    results[`${target} 1 in flight`] = await load(target, chat, one);
    results[`${target} stream TTFB 1 in flight`] = await load(target, streamChat, { ...one, firstByte: true });
    results[`${target} ${concurrency} connections`] = await load(target, chat, many);
    results[`${target} stream ${concurrency} connections`] = await load(target, streamChat, many);
  }

  // Created only now: with more than one feature, the requests above would have to name theirs. These two
  // differ in their privacy policy alone; each phase runs twice, interleaved, so drift on the machine is shared.
  for (const [featureKey, privacy] of [
    ["bench_standard", "standard"],
    ["bench_redact", "redact_pii_before_cloud"],
  ] as const) {
    await post(
      `${api}/v1/developer/apps/app_demo/features`,
      {
        feature_key: featureKey,
        display_name: featureKey,
        policy: {
          route_preference: ["platform_pool"],
          privacy,
          pii_patterns: [ORDER_ID_PATTERN],
          default_model: "mock-small",
        },
        pricing: { markup_percent: 30, channel_share_bps: 4000 },
      },
      { authorization: `Bearer ${developerAdminToken}` },
    );
  }

  // The Gateway re-reads an app's features within 5 s: wait until the new ones answer.
  for (const featureKey of ["bench_standard", "bench_redact"]) {
    for (let tries = 0; ; tries++) {
      const response = await fetch(`${targets.gateway.url}${path}`, {
        method: "POST",
        headers: targets.gateway.headers(0),
        body: JSON.stringify(piiChat(featureKey)),
      });
      await response.arrayBuffer();
      if (response.ok) break;
      if (tries === 40) throw new Error(`feature ${featureKey}: ${response.status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  // Wall-clock latency on a shared machine drifts by more than redaction costs: the Gateway process's own CPU
  // time per request (from /proc) is measured beside it.
  const cpuPerRequestUs: Record<string, number[]> = { bench_standard: [], bench_redact: [] };
  for (const round of [1, 2]) {
    for (const featureKey of ["bench_standard", "bench_redact"]) {
      const body = piiChat(featureKey);
      await load("gateway", body, { concurrency: 8, maxRequests: 500, durationMs: 5000 });
      const cpuBefore = cpuMs(gatewayProcess.pid!);
      const latency = await load("gateway", body, one);
      cpuPerRequestUs[featureKey]!.push(((cpuMs(gatewayProcess.pid!) - cpuBefore) * 1000) / latency.requests);
      results[`gateway 2 KB ${featureKey} 1 in flight #${round}`] = latency;
      results[`gateway 2 KB ${featureKey} ${concurrency} conn #${round}`] = await load("gateway", body, many);
    }
  }

  // Policies measured as on against off, each under two features of its own (policy-phase.ts).
  const phaseStack: PolicyPhaseStack = {
    createFeature: async (manifest) => {
      await post(`${api}/v1/developer/apps/app_demo/features`, manifest, {
        authorization: `Bearer ${developerAdminToken}`,
      });
    },
    once: async (body) => {
      const response = await fetch(`${targets.gateway.url}${path}`, {
        method: "POST",
        headers: targets.gateway.headers(0),
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status;
    },
    load: (body, shape) => load("gateway", body, shape === "one" ? one : many),
    concurrency,
  };
  const policySummaries: string[] = [];
  for (const phase of [runBudgetsPhase, runRatesPhase]) {
    const measured = await phase(phaseStack);
    Object.assign(results, measured.results);
    policySummaries.push(...measured.summary);
  }

  let memory: { start: number; end: number; samples: number[] } | undefined;
  if (soakSeconds > 0) {
    const samples: number[] = [];
    const timer = setInterval(() => samples.push(rssMb(gatewayProcess.pid!)), 5000);
    await load("gateway", chat, { concurrency, maxRequests: Number.MAX_SAFE_INTEGER, durationMs: soakSeconds * 1000 });
    clearInterval(timer);
    memory = { start: samples[1] ?? samples[0]!, end: samples.at(-1)!, samples };
  }

  const lines = [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
    `database: ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"}`,
    ...Object.entries(results).map(([name, result]) => `${name.padEnd(40)} ${fmt(result)}`),
    `added latency p50: ${(results["gateway 1 in flight"]!.p50 - results["proxy 1 in flight"]!.p50).toFixed(2)} ms, p99: ${(results["gateway 1 in flight"]!.p99 - results["proxy 1 in flight"]!.p99).toFixed(2)} ms`,
    `added TTFB p50: ${(results["gateway stream TTFB 1 in flight"]!.p50 - results["proxy stream TTFB 1 in flight"]!.p50).toFixed(2)} ms`,
    `PII redaction added p50 (2 KB prompt, 1 in flight): ${[1, 2]
      .map((round) => {
        const on = results[`gateway 2 KB bench_redact 1 in flight #${round}`]!.p50;
        return (on - results[`gateway 2 KB bench_standard 1 in flight #${round}`]!.p50).toFixed(2);
      })
      .join(" ms, ")} ms (rounds 1, 2)`,
    `Gateway CPU per request (2 KB prompt, 1 in flight): standard ${cpuPerRequestUs
      .bench_standard!.map((us) => us.toFixed(0))
      .join(
        ", ",
      )} µs, redact_pii_before_cloud ${cpuPerRequestUs.bench_redact!.map((us) => us.toFixed(0)).join(", ")} µs (rounds 1, 2)`,
    ...policySummaries,
    ...(memory
      ? [
          `gateway RSS over ${soakSeconds} s: ${memory.start.toFixed(0)} MB → ${memory.end.toFixed(0)} MB (samples ${memory.samples.map((s) => s.toFixed(0)).join(", ")})`,
        ]
      : []),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  writeFileSync("bench-results.json", JSON.stringify({ results, memory, cpuPerRequestUs }, null, 2));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

try {
  await main();
} finally {
  for (const child of children) child.kill("SIGTERM");
}
