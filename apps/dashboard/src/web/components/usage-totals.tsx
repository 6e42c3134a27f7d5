import type { DailyUsageItem } from "@modelfaucet/contract";
import { sumUsd } from "../lib/money.js";
import { Money } from "./money.js";

/** Requests, spend, the developer's share and the error rate of `items`, as a definition list of figures. */
export function UsageTotals({
  title,
  items,
  share,
}: {
  title: string;
  items: readonly DailyUsageItem[];
  share: "developer" | "platform";
}) {
  const requests = items.reduce((sum, item) => sum + item.requests, 0);
  const failed = items.reduce((sum, item) => sum + item.failed, 0);
  const spend = sumUsd(items.map((item) => item.retail_usd));
  const earned = sumUsd(items.map((item) => (share === "developer" ? item.developer_usd : item.platform_usd)));
  const errorRate = requests === 0 ? "—" : `${((failed / requests) * 100).toFixed(1)} %`;
  return (
    <section className="card" aria-labelledby={`totals-${title}`}>
      <h2 id={`totals-${title}`}>{title}</h2>
      <dl className="figures">
        <div>
          <dt>Requests</dt>
          <dd>{requests.toLocaleString("en-US")}</dd>
        </div>
        <div>
          <dt>Spend (users)</dt>
          <dd>
            <Money usd={spend} />
          </dd>
        </div>
        <div>
          <dt>{share === "developer" ? "Your revenue" : "Platform revenue"}</dt>
          <dd>
            <Money usd={earned} />
          </dd>
        </div>
        <div>
          <dt>Error rate</dt>
          <dd>{errorRate}</dd>
        </div>
      </dl>
    </section>
  );
}
