import { useActingDeveloper } from "../../api/acting-developer.js";
import { useDailyUsage } from "../../api/queries.js";
import { DailyChart } from "../../components/daily-chart.js";
import { QueryView } from "../../components/states.js";
import { UsageTotals } from "../../components/usage-totals.js";
import { monthStart, todayUtc } from "../../lib/dates.js";

/** Today's and this month's requests, spend, revenue and error rate (UTC days). */
export function DeveloperOverviewPage() {
  const { query } = useActingDeveloper();
  const today = todayUtc();
  const from = monthStart(today);
  const usage = useDailyUsage("developer", { from, to: today, by: "route_mode", ...query });
  return (
    <>
      <h1>Overview</h1>
      <QueryView query={usage}>
        {(data) => (
          <>
            <div className="cards">
              <UsageTotals title="Today" items={data.items.filter((item) => item.day === today)} share="developer" />
              <UsageTotals title="This month" items={data.items} share="developer" />
            </div>
            <DailyChart
              items={data.items}
              from={from}
              to={today}
              metric="requests"
              title="Requests per day, this month"
            />
          </>
        )}
      </QueryView>
    </>
  );
}
