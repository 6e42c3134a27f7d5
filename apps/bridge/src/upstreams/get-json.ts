import { readBodyText, type UpstreamPools } from "@modelfaucet/providers";
import { upstreamPath, type UpstreamTarget } from "./upstream-kinds.js";

/** Largest answer a probe or a model list may be: a list of a few hundred models fits many times over. */
const MAX_PROBE_BODY_BYTES = 1024 * 1024;

/** A local server answered, but not as the kind it was taken for. */
export class UnexpectedAnswerError extends Error {
  override name = "UnexpectedAnswerError";
}

/** `GET <target><path>` as JSON: a non-200 status, a body over 1 MiB or bad JSON is an UnexpectedAnswerError. */
export async function getJson(
  pools: UpstreamPools,
  target: UpstreamTarget,
  path: string,
  signal: AbortSignal,
): Promise<unknown> {
  const { statusCode, body } = await pools.get(target.url.origin).request({
    method: "GET",
    path: upstreamPath(target, path),
    headers: { accept: "application/json" },
    signal,
  });
  if (statusCode !== 200) {
    await body.dump().catch(() => undefined);
    throw new UnexpectedAnswerError(`GET ${path} answered HTTP ${statusCode}`);
  }
  const text = await readBodyText(body, { limitBytes: MAX_PROBE_BODY_BYTES, truncate: false });
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedAnswerError(`GET ${path} did not answer JSON`);
  }
}

/** A short, secret-free reason for a failed call to a local server: the network code or the error's message. */
export function describeFailure(error: unknown): string {
  if (error instanceof UnexpectedAnswerError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED") return "nothing listening (ECONNREFUSED)";
  if (typeof code === "string") return code;
  return error instanceof Error ? error.message : String(error);
}
