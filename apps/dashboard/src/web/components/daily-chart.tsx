import type { DailyUsageItem } from "@modelfaucet/contract";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { daysBetween } from "../lib/dates.js";
import { axisUsd, displayUsd } from "../lib/money.js";

/** Distinct on white and for the common colour-vision deficiencies (Okabe–Ito). */
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"];

export type DailyMetric = "requests" | "retail_usd";

const label = (key: string) => key || "(no feature)";

/**
 * A stacked bar per UTC day of `metric`, one colour per split key. Days with
 * no usage show as empty bars, so the axis is the whole window. The same
 * figures are in the table beside it for screen readers and export.
 */
export function DailyChart({
  items,
  from,
  to,
  metric,
  title,
}: {
  items: readonly DailyUsageItem[];
  from: string;
  to: string;
  metric: DailyMetric;
  title: string;
}) {
  const keys = [...new Set(items.map((item) => item.key))].sort();
  const byDay = new Map<string, Record<string, number | string>>();
  for (const day of daysBetween(from, to)) byDay.set(day, { day });
  for (const item of items) {
    const row = byDay.get(item.day) ?? { day: item.day };
    row[label(item.key)] = metric === "requests" ? item.requests : Number(item.retail_usd);
    byDay.set(item.day, row);
  }
  const data = [...byDay.values()];
  const count = (value: number) => value.toLocaleString("en-US");
  // The bars hold the 8-decimal amounts as floats: toFixed(8) gives the API's string back for the tooltip.
  const tick = metric === "requests" ? count : axisUsd;
  const exact = metric === "requests" ? count : (value: number) => displayUsd(value.toFixed(8));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div
        className="chart-area"
        role="img"
        aria-label={`${title}, ${from} to ${to}; the figures are in the table below.`}
      >
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(5)} minTickGap={16} />
            <YAxis width="auto" allowDecimals={metric !== "requests"} tickFormatter={(value: number) => tick(value)} />
            <Tooltip formatter={(value) => exact(Number(value))} />
            <Legend />
            {keys.map((key, index) => (
              <Bar
                key={key}
                dataKey={label(key)}
                stackId="usage"
                fill={COLORS[index % COLORS.length] ?? "#0072B2"}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
