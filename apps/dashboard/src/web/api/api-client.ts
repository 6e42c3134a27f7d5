import { CSRF_HEADER, type ErrorEnvelope } from "@modelfaucet/contract";

/** An error answer of the API, with its envelope's code and the request id to quote to support. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;

  constructor(status: number, code: string, message: string, requestId: string | null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

// The CSRF token of the signed-in session: in memory only, like everything
// that proves who is signed in (the session itself is an httpOnly cookie).
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type Query = Record<string, string | number | undefined | null>;

/** `path` with the query's set values, in order. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Calls the API on this origin with the session cookie; unsafe methods carry
 * the CSRF token. An error envelope becomes an ApiError; a 204 resolves to
 * undefined.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown; query?: Query } = {}): Promise<T> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (UNSAFE.has(method) && csrfToken) headers[CSRF_HEADER] = csrfToken;
  const response = await fetch(withQuery(path, init.query), {
    method,
    headers,
    credentials: "same-origin",
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const envelope = json as Partial<ErrorEnvelope> | undefined;
    throw new ApiError(
      response.status,
      envelope?.error?.code ?? "http_error",
      envelope?.error?.message ?? `The server answered ${response.status}.`,
      envelope?.error?.request_id ?? response.headers.get("x-request-id"),
    );
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
