import type { Reconciliation } from "@modelfaucet/contract";
import { formatUsd, parseUsd } from "@modelfaucet/core";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { QueryView } from "../../components/states.js";

type Mismatch = Reconciliation["mismatches"][number];

const usd = (text: string) => parseUsd(text, { allowNegative: true });

/** What the stored balance would need to change by to match the transfers: expected − (stored + deferred). */
const deltaOf = (mismatch: Mismatch) =>
  formatUsd(usd(mismatch.expected_usd) - usd(mismatch.stored_usd) - usd(mismatch.deferred_usd));

const mismatchColumns: Column<Mismatch>[] = [
  { id: "account_id", header: "Account", value: (row) => row.account_id, cell: (row) => <code>{row.account_id}</code> },
  { id: "kind", header: "Kind", value: (row) => row.kind ?? "(no row)" },
  { id: "column", header: "Column", value: (row) => row.column },
  {
    id: "stored_usd",
    header: "Stored",
    numeric: true,
    value: (row) => row.stored_usd,
    cell: (row) => <Money usd={row.stored_usd} />,
  },
  {
    id: "deferred_usd",
    header: "Deferred",
    numeric: true,
    value: (row) => row.deferred_usd,
    cell: (row) => <Money usd={row.deferred_usd} />,
  },
  {
    id: "expected_usd",
    header: "From transfers",
    numeric: true,
    value: (row) => row.expected_usd,
    cell: (row) => <Money usd={row.expected_usd} />,
  },
  { id: "delta", header: "Delta", numeric: true, value: deltaOf, cell: (row) => <Money usd={deltaOf(row)} /> },
];

/** The ledger recomputed from its transfers: whether it balances, and every mismatch with its delta. */
export function ReconciliationPage() {
  const report = useQuery({
    queryKey: ["/v1/admin/reconciliation/ledger"],
    queryFn: () => api<Reconciliation>("/v1/admin/reconciliation/ledger"),
  });
  return (
    <>
      <h1>Reconciliation</h1>
      <QueryView query={report} loading="Recomputing every balance from the transfers…">
        {(data) => (
          <>
            <p className={data.ok ? "banner ok" : "banner bad"} role="status" data-testid="reconciliation-status">
              {data.ok ? "The ledger balances" : "The ledger does not balance"}: {data.accounts} accounts,{" "}
              {data.transfers} transfers, {data.mismatches.length} mismatch{data.mismatches.length === 1 ? "" : "es"},{" "}
              {data.negative.length} negative balance{data.negative.length === 1 ? "" : "s"},{" "}
              {data.pending_problems.length} hold problem
              {data.pending_problems.length === 1 ? "" : "s"}.
            </p>
            <dl className="figures card">
              <div>
                <dt>Σ debits posted</dt>
                <dd>
                  <Money usd={data.totals.debits_posted_usd} />
                </dd>
              </div>
              <div>
                <dt>Σ credits posted</dt>
                <dd>
                  <Money usd={data.totals.credits_posted_usd} />
                </dd>
              </div>
              <div>
                <dt>Σ debits pending</dt>
                <dd>
                  <Money usd={data.totals.debits_pending_usd} />
                </dd>
              </div>
              <div>
                <dt>Σ credits pending</dt>
                <dd>
                  <Money usd={data.totals.credits_pending_usd} />
                </dd>
              </div>
            </dl>
            <DataTable
              caption="Mismatches"
              rows={data.mismatches}
              columns={mismatchColumns}
              csvName="reconciliation.csv"
              empty="No mismatches."
            />
            {data.negative.length > 0 && (
              <DataTable
                caption="Negative balances"
                rows={data.negative}
                columns={[
                  { id: "account_id", header: "Account", value: (row) => row.account_id },
                  { id: "kind", header: "Kind", value: (row) => row.kind },
                  {
                    id: "available_usd",
                    header: "Available",
                    numeric: true,
                    value: (row) => row.available_usd,
                    cell: (row) => <Money usd={row.available_usd} />,
                  },
                ]}
              />
            )}
            {data.pending_problems.length > 0 && (
              <DataTable
                caption="Hold problems"
                rows={data.pending_problems}
                columns={[
                  { id: "pending_id", header: "Hold", value: (row) => row.pending_id },
                  { id: "problem", header: "Problem", value: (row) => row.problem },
                ]}
              />
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
