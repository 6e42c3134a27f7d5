import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiError } from "../api/api-client.js";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** An error as the API gave it: its message, its code and the request id to quote. */
export function ErrorNotice({ error, title = "Something went wrong" }: { error: unknown; title?: string }) {
  const apiError = error instanceof ApiError ? error : undefined;
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong>
      <p>{error instanceof Error ? error.message : String(error)}</p>
      {apiError && (
        <p className="muted">
          {apiError.code} · HTTP {apiError.status}
          {apiError.requestId ? ` · request ${apiError.requestId}` : ""}
        </p>
      )}
    </div>
  );
}

/** A query's loading and error states, then `children` with its data. */
export function QueryView<T>({
  query,
  children,
  loading,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  loading?: string;
}) {
  if (query.isPending) return <Loading {...(loading ? { label: loading } : {})} />;
  if (query.isError) return <ErrorNotice error={query.error} />;
  return <>{children(query.data)}</>;
}
