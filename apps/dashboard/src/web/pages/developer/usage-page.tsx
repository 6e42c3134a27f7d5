import type { DeveloperApp, UsageItem, UsagePage } from "@modelfaucet/contract";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useActingDeveloper } from "../../api/acting-developer.js";
import { api } from "../../api/api-client.js";
import { useDailyUsage } from "../../api/queries.js";
import { DailyUsageView } from "../../components/daily-usage-view.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { Empty, ErrorNotice, Loading, QueryView } from "../../components/states.js";
import { dailyQueryOf, UsageFilterForm, useUsageFilters, type UsageFilters } from "../../components/usage-filters.js";
import { dayAfterIso, dayStartIso } from "../../lib/dates.js";
import { Time } from "../../components/time.js";

/** Requests and spend per day by route, feature, model or app, and the request log of one app. */
export function UsagePage() {
  const { query } = useActingDeveloper();
  const [filters, setFilters] = useUsageFilters();
  const apps = useQuery({
    queryKey: ["/v1/developer/apps", query],
    queryFn: () => api<{ items: DeveloperApp[] }>("/v1/developer/apps", { query }),
  });
  const usage = useDailyUsage("developer", { ...dailyQueryOf(filters), ...query });
  const appIds = apps.data?.items.map((app) => app.public_app_id) ?? [];
  return (
    <>
      <h1>Usage</h1>
      <UsageFilterForm key={JSON.stringify(filters)} filters={filters} onApply={setFilters} apps={appIds} />
      <QueryView query={usage}>
        {(data) => <DailyUsageView usage={data} csvName={`usage-${filters.from}-${filters.to}.csv`} />}
      </QueryView>
      <section aria-labelledby="request-log-title">
        <h2 id="request-log-title">Request log</h2>
        {apps.isPending ? (
          <Loading />
        ) : appIds.length === 0 ? (
          <Empty>No apps yet, so no requests.</Empty>
        ) : (
          <RequestLog appId={filters.app || appIds[0]!} filters={filters} />
        )}
      </section>
    </>
  );
}

const columns: Column<UsageItem>[] = [
  {
    id: "request_id",
    header: "Request",
    value: (item) => item.request_id,
    cell: (item) => (
      <Link to={`/developer/requests/${encodeURIComponent(item.request_id)}`}>
        <code>{item.request_id}</code>
      </Link>
    ),
  },
  {
    id: "created_at",
    header: "Time",
    value: (item) => item.created_at,
    cell: (item) => <Time iso={item.created_at} />,
  },
  { id: "feature_key", header: "Feature", value: (item) => item.feature_key ?? "" },
  { id: "route_mode", header: "Route", value: (item) => item.route_mode },
  { id: "model", header: "Model", value: (item) => item.model },
  { id: "input_tokens", header: "In", numeric: true, value: (item) => item.input_tokens },
  { id: "output_tokens", header: "Out", numeric: true, value: (item) => item.output_tokens },
  {
    id: "retail_price_usd",
    header: "User paid",
    numeric: true,
    value: (item) => item.retail_price_usd,
    cell: (item) => <Money usd={item.retail_price_usd} />,
  },
  {
    id: "channel_revenue_usd",
    header: "You earned",
    numeric: true,
    value: (item) => item.channel_revenue_usd,
    cell: (item) => <Money usd={item.channel_revenue_usd} />,
  },
];

/** One app's billed requests in the window, newest first, 100 at a time. */
function RequestLog({ appId, filters }: { appId: string; filters: UsageFilters }) {
  const path = `/v1/apps/${encodeURIComponent(appId)}/usage`;
  const log = useInfiniteQuery({
    queryKey: [path, filters.from, filters.to],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api<UsagePage>(path, {
        query: { limit: 100, from: dayStartIso(filters.from), to: dayAfterIso(filters.to), cursor: pageParam },
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  if (log.isPending) return <Loading />;
  if (log.isError) return <ErrorNotice error={log.error} />;
  const items = log.data.pages.flatMap((page) => page.items);
  return (
    <>
      <p className="muted">
        App <code>{appId}</code>, {filters.from} to {filters.to} (UTC): {items.length} request
        {items.length === 1 ? "" : "s"} loaded.
      </p>
      <DataTable
        caption={`Requests of ${appId}`}
        rows={items}
        columns={columns}
        csvName={`requests-${appId}-${filters.from}-${filters.to}.csv`}
        empty="No requests in this window."
        initialSort={{ id: "created_at", desc: true }}
      />
      {log.hasNextPage && (
        <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          Load older requests
        </button>
      )}
    </>
  );
}
