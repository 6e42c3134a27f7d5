import type { Payout, PayoutRun } from "@modelfaucet/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { ErrorNotice, QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";

const PATH = "/v1/admin/payouts";

/** Payouts: run them, approve with a note, mark paid, or cancel. */
export function PayoutsPage() {
  const client = useQueryClient();
  const payouts = useQuery({
    queryKey: [PATH],
    queryFn: () => api<{ items: Payout[] }>(PATH, { query: { limit: 200 } }),
  });
  const refresh = () => client.invalidateQueries({ queryKey: [PATH] });
  const markPaid = useMutation({
    mutationFn: (id: string) => api<Payout>(`${PATH}/${id}/mark-paid`, { method: "POST" }),
    onSettled: refresh,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => api<Payout>(`${PATH}/${id}/cancel`, { method: "POST", body: {} }),
    onSettled: refresh,
  });
  const columns: Column<Payout>[] = [
    { id: "id", header: "Payout", value: (payout) => payout.id, cell: (payout) => <code>{payout.id}</code> },
    {
      id: "developer_id",
      header: "Developer",
      value: (payout) => payout.developer_id,
      cell: (payout) => <code>{payout.developer_id}</code>,
    },
    {
      id: "amount_usd",
      header: "Amount",
      numeric: true,
      value: (payout) => payout.amount_usd,
      cell: (payout) => <Money usd={payout.amount_usd} />,
    },
    {
      id: "status",
      header: "Status",
      value: (payout) => (payout.status === "processing" ? "approved" : payout.status),
    },
    { id: "approval_note", header: "Note", value: (payout) => payout.approval_note ?? "" },
    {
      id: "created_at",
      header: "Created",
      value: (payout) => payout.created_at,
      cell: (payout) => <Time iso={payout.created_at} />,
    },
    {
      id: "actions",
      header: "Actions",
      value: () => null,
      cell: (payout) => (
        <div className="row-actions">
          {payout.status === "pending" && <ApproveForm payout={payout} onDone={refresh} />}
          {payout.status === "processing" && (
            <button type="button" onClick={() => markPaid.mutate(payout.id)}>
              Mark paid <span className="visually-hidden">{payout.id}</span>
            </button>
          )}
          {(payout.status === "pending" || payout.status === "processing") && (
            <button type="button" className="secondary" onClick={() => cancel.mutate(payout.id)}>
              Cancel <span className="visually-hidden">{payout.id}</span>
            </button>
          )}
        </div>
      ),
    },
  ];
  return (
    <>
      <h1>Payouts</h1>
      <RunPayouts onDone={refresh} />
      {markPaid.isError && <ErrorNotice error={markPaid.error} title="Not marked paid" />}
      {cancel.isError && <ErrorNotice error={cancel.error} title="Not cancelled" />}
      <QueryView query={payouts}>
        {(data) => (
          <DataTable
            caption="Payouts, newest first"
            rows={data.items}
            columns={columns}
            csvName="payouts.csv"
            empty="No payouts yet: run them above."
          />
        )}
      </QueryView>
    </>
  );
}

function RunPayouts({ onDone }: { onDone: () => Promise<void> }) {
  const [threshold, setThreshold] = useState("0.01");
  const run = useMutation({
    mutationFn: () => api<PayoutRun>(`${PATH}/run`, { method: "POST", body: { threshold_usd: threshold } }),
    onSettled: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate();
  };
  return (
    <section className="card" aria-labelledby="run-title">
      <h2 id="run-title">Run payouts</h2>
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="threshold">Least balance to pay out (USD)</label>
          <input
            id="threshold"
            inputMode="decimal"
            required
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
          />
        </div>
        <button type="submit" disabled={run.isPending}>
          Run payouts
        </button>
      </form>
      {run.isError && <ErrorNotice error={run.error} title="The run failed" />}
      {run.data && (
        <p role="status">
          Created {run.data.created.length} payout{run.data.created.length === 1 ? "" : "s"}; skipped{" "}
          {run.data.skipped.length}.
        </p>
      )}
    </section>
  );
}

function ApproveForm({ payout, onDone }: { payout: Payout; onDone: () => Promise<void> }) {
  const [note, setNote] = useState("");
  const approve = useMutation({
    mutationFn: () =>
      api<Payout>(`${PATH}/${payout.id}/approve`, { method: "POST", body: note.trim() ? { note: note.trim() } : {} }),
    onSettled: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    approve.mutate();
  };
  return (
    <form className="approve" onSubmit={submit}>
      <label htmlFor={`note-${payout.id}`} className="visually-hidden">
        Approval note for {payout.id}
      </label>
      <input
        id={`note-${payout.id}`}
        placeholder="Note (optional)"
        maxLength={500}
        value={note}
        onChange={(event) => setNote(event.target.value)}
      />
      <button type="submit" disabled={approve.isPending}>
        Approve <span className="visually-hidden">{payout.id}</span>
      </button>
      {approve.isError && <ErrorNotice error={approve.error} title="Not approved" />}
    </form>
  );
}
