import { DAILY_USAGE_BY, type DailyUsageBy } from "@modelfaucet/contract";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { addDays, todayUtc } from "../lib/dates.js";

/** The usage pages' window and filters, read from and written to the URL (so a view can be shared or reloaded). */
export interface UsageFilters {
  from: string;
  to: string;
  by: DailyUsageBy;
  app: string;
  feature: string;
  routeMode: string;
  model: string;
}

const FIELDS = ["from", "to", "by", "app", "feature", "route_mode", "model"] as const;

export function useUsageFilters(): [UsageFilters, (next: UsageFilters) => void] {
  const [params, setParams] = useSearchParams();
  const to = params.get("to") || todayUtc();
  const by = params.get("by");
  const filters: UsageFilters = {
    from: params.get("from") || addDays(to, -29),
    to,
    by: DAILY_USAGE_BY.includes(by as DailyUsageBy) ? (by as DailyUsageBy) : "route_mode",
    app: params.get("app") ?? "",
    feature: params.get("feature") ?? "",
    routeMode: params.get("route_mode") ?? "",
    model: params.get("model") ?? "",
  };
  const update = (next: UsageFilters) => {
    const values: Record<(typeof FIELDS)[number], string> = {
      from: next.from,
      to: next.to,
      by: next.by,
      app: next.app,
      feature: next.feature,
      route_mode: next.routeMode,
      model: next.model,
    };
    // Other parameters of the page (e.g. the operator's `developer`) stay.
    const merged = new URLSearchParams(params);
    for (const field of FIELDS) {
      if (values[field] === "") merged.delete(field);
      else merged.set(field, values[field]);
    }
    setParams(merged);
  };
  return [filters, update];
}

/** The API query of the daily views for these filters. */
export const dailyQueryOf = (filters: UsageFilters) => ({
  from: filters.from,
  to: filters.to,
  by: filters.by,
  app_id: filters.app,
  feature_key: filters.feature,
  route_mode: filters.routeMode,
  model: filters.model,
});

/** The filter form; applying it rewrites the URL. */
export function UsageFilterForm({
  filters,
  onApply,
  apps,
}: {
  filters: UsageFilters;
  onApply: (next: UsageFilters) => void;
  apps?: string[];
}) {
  const [draft, setDraft] = useState(filters);
  const set = (key: keyof UsageFilters, value: string) => setDraft((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="inline-form card filters" onSubmit={submit} aria-label="Usage filters">
      <div className="field">
        <label htmlFor="filter-from">From (UTC)</label>
        <input
          id="filter-from"
          type="date"
          required
          value={draft.from}
          onChange={(event) => set("from", event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-to">To (UTC)</label>
        <input
          id="filter-to"
          type="date"
          required
          value={draft.to}
          onChange={(event) => set("to", event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-by">Split by</label>
        <select id="filter-by" value={draft.by} onChange={(event) => set("by", event.target.value)}>
          {DAILY_USAGE_BY.map((by) => (
            <option key={by} value={by}>
              {by.replace("_", " ")}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-app">App</label>
        {apps ? (
          <select id="filter-app" value={draft.app} onChange={(event) => set("app", event.target.value)}>
            <option value="">all apps</option>
            {apps.map((app) => (
              <option key={app}>{app}</option>
            ))}
          </select>
        ) : (
          <input
            id="filter-app"
            value={draft.app}
            placeholder="app_…"
            onChange={(event) => set("app", event.target.value)}
          />
        )}
      </div>
      <div className="field">
        <label htmlFor="filter-feature">Feature</label>
        <input id="filter-feature" value={draft.feature} onChange={(event) => set("feature", event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="filter-route">Route mode</label>
        <select id="filter-route" value={draft.routeMode} onChange={(event) => set("routeMode", event.target.value)}>
          <option value="">all</option>
          {["platform", "developer_key", "byok", "local"].map((mode) => (
            <option key={mode}>{mode}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-model">Model</label>
        <input id="filter-model" value={draft.model} onChange={(event) => set("model", event.target.value)} />
      </div>
      <button type="submit">Apply</button>
    </form>
  );
}
