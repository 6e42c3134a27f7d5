import type { Operations, Revenue } from "@modelfaucet/contract";
import { useQuery } from "@tanstack/react-query";
import { useActingDeveloper } from "../../api/acting-developer.js";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { Empty, QueryView } from "../../components/states.js";
import { UsageFilterForm, useUsageFilters } from "../../components/usage-filters.js";
import { dayAfterIso, dayStartIso } from "../../lib/dates.js";
import { Time } from "../../components/time.js";

type Group = NonNullable<Revenue["groups"]>[number];
type Payout = Operations["payouts"][number];

const revenueColumns: Column<Group>[] = [
  { id: "key", header: "Day (UTC)", value: (group) => group.key },
  { id: "requests", header: "Requests", numeric: true, value: (group) => group.requests },
  {
    id: "retail_usd",
    header: "Users paid",
    numeric: true,
    value: (group) => group.retail_usd,
    cell: (group) => <Money usd={group.retail_usd} />,
  },
  {
    id: "earned_usd",
    header: "You earned",
    numeric: true,
    value: (group) => group.earned_usd,
    cell: (group) => <Money usd={group.earned_usd} />,
  },
];

const STEPS = [
  { status: "pending", label: "Pending" },
  { status: "processing", label: "Approved" },
  { status: "paid", label: "Paid" },
] as const;

/** pending → approved → paid, as a list the eye and a screen reader follow alike. */
function PayoutSteps({ payout }: { payout: Payout }) {
  if (payout.status === "cancelled") return <span className="badge badge-muted">Cancelled</span>;
  const reached = STEPS.findIndex((step) => step.status === payout.status);
  return (
    <ol className="steps" aria-label={`Payout status: ${STEPS[reached]?.label ?? payout.status}`}>
      {STEPS.map((step, index) => (
        <li
          key={step.status}
          className={index <= reached ? "done" : undefined}
          aria-current={index === reached ? "step" : undefined}
        >
          {step.label}
        </li>
      ))}
    </ol>
  );
}

const payoutColumns: Column<Payout>[] = [
  { id: "id", header: "Payout", value: (payout) => payout.id, cell: (payout) => <code>{payout.id}</code> },
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
    value: (payout) => payout.status,
    cell: (payout) => <PayoutSteps payout={payout} />,
  },
  {
    id: "created_at",
    header: "Created",
    value: (payout) => payout.created_at,
    cell: (payout) => <Time iso={payout.created_at} />,
  },
  {
    id: "paid_at",
    header: "Paid",
    value: (payout) => payout.paid_at,
    cell: (payout) => (payout.paid_at ? <Time iso={payout.paid_at} /> : "—"),
  },
];

/** What the developer earned per day, their balance, and their payouts. */
export function RevenuePage() {
  const { developerId, query } = useActingDeveloper();
  const [filters, setFilters] = useUsageFilters();
  const revenue = useQuery({
    queryKey: ["/v1/developers/revenue", developerId, filters.from, filters.to],
    queryFn: () =>
      api<Revenue>(`/v1/developers/${encodeURIComponent(developerId ?? "")}/revenue`, {
        query: { group_by: "day", from: dayStartIso(filters.from), to: dayAfterIso(filters.to) },
      }),
    enabled: developerId !== null,
  });
  const operations = useQuery({
    queryKey: ["/v1/developer/operations", query],
    queryFn: () => api<Operations>("/v1/developer/operations", { query }),
    enabled: developerId !== null,
  });
  if (developerId === null) return <Empty>Name the developer to act for (top of the page) to see revenue.</Empty>;
  return (
    <>
      <h1>Revenue & payouts</h1>
      <UsageFilterForm key={JSON.stringify(filters)} filters={filters} onApply={setFilters} />
      <QueryView query={revenue}>
        {(data) => (
          <>
            <section className="card" aria-labelledby="revenue-totals">
              <h2 id="revenue-totals">
                {filters.from} to {filters.to}
              </h2>
              <dl className="figures">
                <div>
                  <dt>Requests</dt>
                  <dd>{data.requests.toLocaleString("en-US")}</dd>
                </div>
                <div>
                  <dt>Users paid</dt>
                  <dd>
                    <Money usd={data.retail_usd} />
                  </dd>
                </div>
                <div>
                  <dt>You earned</dt>
                  <dd>
                    <Money usd={data.earned_usd} />
                  </dd>
                </div>
                <div>
                  <dt>Balance (available)</dt>
                  <dd>
                    <Money usd={data.available_usd} />
                  </dd>
                </div>
              </dl>
            </section>
            <DataTable
              caption="Revenue per day"
              rows={data.groups ?? []}
              columns={revenueColumns}
              csvName={`revenue-${filters.from}-${filters.to}.csv`}
              empty="No revenue in this window."
              initialSort={{ id: "key", desc: true }}
            />
          </>
        )}
      </QueryView>
      <section aria-labelledby="payouts-title">
        <h2 id="payouts-title">Payouts</h2>
        <QueryView query={operations}>
          {(data) => (
            <DataTable
              caption="Your payouts"
              rows={data.payouts}
              columns={payoutColumns}
              csvName="payouts.csv"
              empty="No payouts yet."
            />
          )}
        </QueryView>
      </section>
    </>
  );
}
