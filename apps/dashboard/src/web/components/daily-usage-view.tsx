import type { DailyUsage, DailyUsageItem } from "@modelfaucet/contract";
import { useMemo } from "react";
import { DailyChart } from "./daily-chart.js";
import { DataTable, type Column } from "./data-table.js";
import { Money } from "./money.js";

const money = (
  field: "retail_usd" | "cost_usd" | "developer_usd" | "platform_usd",
  header: string,
): Column<DailyUsageItem> => ({
  id: field,
  header,
  numeric: true,
  value: (item) => item[field],
  cell: (item) => <Money usd={item[field]} />,
});

/** The table's columns; the split key's header names the split ("Route mode", "Feature", …). */
const columnsFor = (split: string): Column<DailyUsageItem>[] => [
  { id: "day", header: "Day (UTC)", value: (item) => item.day },
  { id: "key", header: split.charAt(0).toUpperCase() + split.slice(1), value: (item) => item.key || "(no feature)" },
  { id: "requests", header: "Requests", numeric: true, value: (item) => item.requests },
  { id: "failed", header: "Failed", numeric: true, value: (item) => item.failed },
  { id: "input_tokens", header: "Tokens in", numeric: true, value: (item) => item.input_tokens },
  { id: "output_tokens", header: "Tokens out", numeric: true, value: (item) => item.output_tokens },
  money("retail_usd", "Spend"),
  money("cost_usd", "Cost"),
  money("developer_usd", "Developer"),
  money("platform_usd", "Platform"),
];

/** Requests and spend per day as charts, and the same figures as a sortable, exportable table. */
export function DailyUsageView({ usage, csvName }: { usage: DailyUsage; csvName: string }) {
  const split = usage.by.replace("_", " ");
  const columns = useMemo(() => columnsFor(split), [split]);
  return (
    <>
      <div className="charts">
        <DailyChart
          items={usage.items}
          from={usage.from}
          to={usage.to}
          metric="requests"
          title={`Requests per day by ${split}`}
        />
        <DailyChart
          items={usage.items}
          from={usage.from}
          to={usage.to}
          metric="retail_usd"
          title={`Spend per day by ${split} (USD)`}
        />
      </div>
      <DataTable
        caption={`Daily usage, ${usage.from} to ${usage.to}, by ${split}`}
        rows={usage.items}
        columns={columns}
        csvName={csvName}
        empty="No usage in this window."
        initialSort={{ id: "day", desc: true }}
      />
    </>
  );
}
