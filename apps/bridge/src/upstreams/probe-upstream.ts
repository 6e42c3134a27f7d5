import type { UpstreamPools } from "@modelfaucet/providers";
import { describeFailure, getJson, UnexpectedAnswerError } from "./get-json.js";
import type { UpstreamKind, UpstreamTarget } from "./upstream-kinds.js";

/** How long one server's probe (identity and model list together) may take. */
export const PROBE_TIMEOUT_MS = 1000;

/** A model as its server lists it (OpenAI's `/v1/models` entry). */
export interface UpstreamModel {
  id: string;
  /** Unix seconds, when the server says; else 0. */
  created: number;
}

/** What a probe found at one kind's URL. Printed by `detect --json` and `GET /diagnostics`. */
export interface DetectedUpstream {
  kind: UpstreamKind;
  url: string;
  status: "available" | "unavailable";
  /** The server's own version, where it tells one (Ollama, vLLM, llama.cpp's build). */
  version: string | null;
  models: UpstreamModel[];
  latency_ms: number;
  /** Why it is unavailable; null when available. */
  error: string | null;
}

/**
 * Probes one local server the way it identifies itself, then reads its
 * OpenAI model list, all within `timeoutMs`: Ollama `GET /api/version`,
 * vLLM `GET /version`, llama.cpp server `GET /health` and `GET /props`,
 * LM Studio only its model list. Another program on the port fails the
 * identity probe, so it is not taken for a model server.
 */
export async function probeUpstream(
  pools: UpstreamPools,
  target: UpstreamTarget,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<DetectedUpstream> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const found = { kind: target.kind, url: target.url.href.replace(/\/$/, "") };
  try {
    const version = await identify(pools, target, signal);
    const models = modelList(await getJson(pools, target, "/v1/models", signal));
    return { ...found, status: "available", version, models, latency_ms: elapsed(started), error: null };
  } catch (error) {
    const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : describeFailure(error);
    return { ...found, status: "unavailable", version: null, models: [], latency_ms: elapsed(started), error: reason };
  }
}

async function identify(pools: UpstreamPools, target: UpstreamTarget, signal: AbortSignal): Promise<string | null> {
  switch (target.kind) {
    case "ollama":
      return versionOf(await getJson(pools, target, "/api/version", signal), "/api/version");
    case "vllm":
      return versionOf(await getJson(pools, target, "/version", signal), "/version");
    case "llama_cpp": {
      const health = await getJson(pools, target, "/health", signal);
      if (!isObject(health) || health.status !== "ok") throw new UnexpectedAnswerError("GET /health is not ok");
      const props = await getJson(pools, target, "/props", signal);
      if (!isObject(props)) throw new UnexpectedAnswerError("GET /props did not answer an object");
      return typeof props.build_info === "string" ? props.build_info : null;
    }
    case "lm_studio":
      return null;
  }
}

function versionOf(answer: unknown, path: string): string {
  if (!isObject(answer) || typeof answer.version !== "string") {
    throw new UnexpectedAnswerError(`GET ${path} did not answer a version`);
  }
  return answer.version;
}

function modelList(answer: unknown): UpstreamModel[] {
  if (!isObject(answer) || !Array.isArray(answer.data)) {
    throw new UnexpectedAnswerError("GET /v1/models did not answer an OpenAI model list");
  }
  return answer.data.flatMap((entry: unknown) =>
    isObject(entry) && typeof entry.id === "string" && entry.id.length > 0
      ? [{ id: entry.id, created: Number.isSafeInteger(entry.created) ? (entry.created as number) : 0 }]
      : [],
  );
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
