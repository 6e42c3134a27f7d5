import type { CatalogModel } from "@modelfaucet/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { ErrorNotice, QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";

const PATH = "/v1/admin/models";

const price = (
  field: "input_usd_per_mtok" | "cached_input_usd_per_mtok" | "output_usd_per_mtok",
  header: string,
): Column<CatalogModel> => ({
  id: field,
  header,
  numeric: true,
  value: (model) => model[field],
  cell: (model) => <Money usd={model[field]} />,
});

const columns: Column<CatalogModel>[] = [
  { id: "id", header: "Model", value: (model) => model.id, cell: (model) => <code>{model.id}</code> },
  { id: "provider", header: "Provider", value: (model) => model.provider },
  price("input_usd_per_mtok", "Input / 1M"),
  price("cached_input_usd_per_mtok", "Cached / 1M"),
  price("output_usd_per_mtok", "Output / 1M"),
  {
    id: "effective_from",
    header: "Effective from",
    value: (model) => model.effective_from,
    cell: (model) => <Time iso={model.effective_from} />,
  },
  { id: "state", header: "State", value: (model) => model.state ?? "" },
  { id: "status", header: "Status", value: (model) => model.status },
];

/** The model catalog with its effective-dated prices (current, scheduled, superseded), and new prices. */
export function CatalogPage() {
  const models = useQuery({ queryKey: [PATH], queryFn: () => api<{ items: CatalogModel[] }>(PATH) });
  return (
    <>
      <h1>Model catalog</h1>
      <SetPrice />
      <QueryView query={models}>
        {(data) => (
          <DataTable
            caption="Catalog rows (prices in USD per 1M tokens)"
            rows={data.items}
            columns={columns}
            csvName="catalog.csv"
            empty="The catalog is empty."
            initialSort={{ id: "id", desc: false }}
          />
        )}
      </QueryView>
    </>
  );
}

function SetPrice() {
  const client = useQueryClient();
  const [form, setForm] = useState({ id: "", provider: "", input: "", cached: "", output: "", from: "" });
  const set = (key: keyof typeof form, value: string) => setForm((current) => ({ ...current, [key]: value }));
  const save = useMutation({
    mutationFn: () =>
      api<CatalogModel>(PATH, {
        method: "POST",
        body: {
          id: form.id.trim(),
          ...(form.provider ? { provider: form.provider.trim() } : {}),
          ...(form.input ? { input_usd_per_mtok: form.input } : {}),
          ...(form.cached ? { cached_input_usd_per_mtok: form.cached } : {}),
          ...(form.output ? { output_usd_per_mtok: form.output } : {}),
          ...(form.from ? { effective_from: new Date(form.from).toISOString() } : {}),
        },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: [PATH] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const field = (key: keyof typeof form, label: string, type = "text") => (
    <div className="field">
      <label htmlFor={`catalog-${key}`}>{label}</label>
      <input id={`catalog-${key}`} type={type} value={form[key]} onChange={(event) => set(key, event.target.value)} />
    </div>
  );
  return (
    <section className="card" aria-labelledby="price-title">
      <h2 id="price-title">Set a price</h2>
      <p className="muted">
        A new model, or a new price for one, now or from a later moment. Fields left empty keep the price in effect
        then.
      </p>
      <form className="inline-form" onSubmit={submit}>
        {field("id", "Model id")}
        {field("provider", "Provider (new models)")}
        {field("input", "Input USD / 1M")}
        {field("cached", "Cached input USD / 1M")}
        {field("output", "Output USD / 1M")}
        {field("from", "Effective from (your time)", "datetime-local")}
        <button type="submit" disabled={save.isPending || form.id.trim() === ""}>
          Save price
        </button>
      </form>
      {save.isError && <ErrorNotice error={save.error} title="Not saved" />}
      {save.isSuccess && <p role="status">Saved.</p>}
    </section>
  );
}
