import { useSearchParams } from "react-router";
import { useDailyUsage } from "../../api/queries.js";
import { DailyUsageView } from "../../components/daily-usage-view.js";
import { QueryView } from "../../components/states.js";
import { UsageTotals } from "../../components/usage-totals.js";
import { dailyQueryOf, UsageFilterForm, useUsageFilters } from "../../components/usage-filters.js";

/** The platform's usage per day (or one developer's, `?developer=`), by route, feature, model or app. */
export function OperatorOverviewPage() {
  const [filters, setFilters] = useUsageFilters();
  const [params] = useSearchParams();
  const developer = params.get("developer") ?? "";
  const usage = useDailyUsage("operator", { ...dailyQueryOf(filters), developer_id: developer });
  return (
    <>
      <h1>{developer ? `Usage of ${developer}` : "Platform usage"}</h1>
      <UsageFilterForm key={JSON.stringify(filters)} filters={filters} onApply={setFilters} />
      <QueryView query={usage}>
        {(data) => (
          <>
            <UsageTotals title={`${filters.from} to ${filters.to}`} items={data.items} share="platform" />
            <DailyUsageView usage={data} csvName={`platform-usage-${filters.from}-${filters.to}.csv`} />
          </>
        )}
      </QueryView>
    </>
  );
}
