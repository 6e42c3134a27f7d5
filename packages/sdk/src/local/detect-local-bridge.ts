/** Where the Local Bridge listens unless told otherwise (CONTRACT.md: loopback, port 8787). */
export const LOCAL_BRIDGE_URL = "http://127.0.0.1:8787";
const DETECT_TIMEOUT_MS = 1500;

/** A model the bridge serves from the user's machine (OpenAI's model object). */
export interface LocalModel {
  id: string;
  [field: string]: unknown;
}

/**
 * `available`: the bridge answered and serves `models`. `blocked`: it runs,
 * but this page may not read it (its origin is not in the bridge's
 * `--allow-origin`, or the browser's private-network rules refused).
 * `unavailable`: nothing answered in time, or it serves no model.
 */
export interface LocalBridgeStatus {
  status: "available" | "unavailable" | "blocked";
  models: LocalModel[];
}

export interface DetectOptions {
  /** The bridge's origin (default http://127.0.0.1:8787). */
  url?: string | undefined;
  /** How long each probe may take, ms (default 1500). */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Probes the bridge's `GET /health` and `GET /v1/models`. A CORS refusal and
 * a closed port fail alike in a browser; a second, `no-cors` probe tells them
 * apart (it succeeds, opaquely, when something answers).
 */
export async function detectLocalBridge(
  fetchImpl: typeof fetch,
  options: DetectOptions = {},
): Promise<LocalBridgeStatus> {
  const url = (options.url ?? LOCAL_BRIDGE_URL).replace(/\/+$/, "");
  const probeSignal = () => {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DETECT_TIMEOUT_MS);
    return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  };
  const unavailable: LocalBridgeStatus = { status: "unavailable", models: [] };
  try {
    const health = await fetchImpl(`${url}/health`, { signal: probeSignal() });
    if (!health.ok) return unavailable;
    const listed = await fetchImpl(`${url}/v1/models`, { signal: probeSignal() });
    if (!listed.ok) return unavailable;
    const { data } = (await listed.json()) as { data?: unknown };
    const models = Array.isArray(data)
      ? data.filter((model): model is LocalModel => typeof model?.id === "string")
      : [];
    return models.length > 0 ? { status: "available", models } : unavailable;
  } catch {
    options.signal?.throwIfAborted();
  }
  try {
    await fetchImpl(`${url}/health`, { mode: "no-cors", signal: probeSignal() });
    return { status: "blocked", models: [] };
  } catch {
    options.signal?.throwIfAborted();
    return unavailable;
  }
}
