/**
 * The local model servers the bridge finds and serves, each on its default
 * port. A model id on the bridge is `<kind>/<the server's own id>`
 * (`ollama/qwen2.5:7b`); the names are the contract's `LOCAL_RUNTIMES`.
 */
export const UPSTREAM_KINDS = ["ollama", "lm_studio", "vllm", "llama_cpp"] as const;

export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

/** Where each server listens unless `--upstream KIND=URL` says otherwise. */
export const DEFAULT_UPSTREAM_URLS: Readonly<Record<UpstreamKind, string>> = {
  ollama: "http://127.0.0.1:11434",
  lm_studio: "http://127.0.0.1:1234",
  vllm: "http://127.0.0.1:8000",
  llama_cpp: "http://127.0.0.1:8080",
};

/** A local server to talk to: its kind and base URL (the OpenAI API is under `<url>/v1`). */
export interface UpstreamTarget {
  kind: UpstreamKind;
  url: URL;
}

export function isUpstreamKind(value: string): value is UpstreamKind {
  return (UPSTREAM_KINDS as readonly string[]).includes(value);
}

/** `path` under the target's base URL: `http://host:1234/prefix` + `/v1/models` → `/prefix/v1/models`. */
export function upstreamPath(target: UpstreamTarget, path: string): string {
  return `${target.url.pathname.replace(/\/+$/, "")}${path}`;
}
