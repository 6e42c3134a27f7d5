import type { AdminAuditEntry } from "@modelfaucet/contract";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { ErrorNotice, Loading } from "../../components/states.js";
import { Time } from "../../components/time.js";

const PATH = "/v1/admin/audit-log";

const columns: Column<AdminAuditEntry>[] = [
  {
    id: "occurred_at",
    header: "Time",
    value: (entry) => entry.occurred_at,
    cell: (entry) => <Time iso={entry.occurred_at} />,
  },
  {
    id: "actor",
    header: "Actor",
    value: (entry) => `${entry.actor_type}${entry.actor_id ? ` ${entry.actor_id}` : ""}`,
  },
  { id: "developer_id", header: "Developer", value: (entry) => entry.developer_id ?? "" },
  { id: "action", header: "Action", value: (entry) => entry.action },
  {
    id: "resource",
    header: "Resource",
    value: (entry) => `${entry.resource_type}${entry.resource_id ? ` ${entry.resource_id}` : ""}`,
  },
  { id: "request_id", header: "Request", value: (entry) => entry.request_id ?? "" },
  {
    id: "details",
    header: "Details",
    value: (entry) => JSON.stringify(entry.details),
    cell: (entry) => <code className="details">{JSON.stringify(entry.details)}</code>,
  },
];

/** Who did what, newest first; `?developer=` narrows it to one developer. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const developer = params.get("developer") ?? "";
  const [draft, setDraft] = useState(developer);
  const log = useInfiniteQuery({
    queryKey: [PATH, developer],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api<{ items: AdminAuditEntry[]; next_cursor: string | null }>(PATH, {
        query: { developer_id: developer, limit: 200, cursor: pageParam },
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(draft.trim() ? { developer: draft.trim() } : {});
  };
  return (
    <>
      <h1>Audit log</h1>
      <form className="inline-form card" onSubmit={submit} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-developer">Developer id</label>
          <input
            id="audit-developer"
            value={draft}
            placeholder="all developers"
            onChange={(event) => setDraft(event.target.value)}
          />
        </div>
        <button type="submit">Apply</button>
      </form>
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <ErrorNotice error={log.error} />
      ) : (
        <>
          <DataTable
            caption="Audit entries, newest first"
            rows={log.data.pages.flatMap((page) => page.items)}
            columns={columns}
            csvName="audit-log.csv"
            empty="No entries."
          />
          {log.hasNextPage && (
            <button type="button" onClick={() => void log.fetchNextPage()}>
              Load older entries
            </button>
          )}
        </>
      )}
    </>
  );
}
