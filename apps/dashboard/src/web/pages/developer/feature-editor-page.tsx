import type { CatalogModel, Feature } from "@modelfaucet/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/api-client.js";
import { ErrorNotice, Loading, QueryView } from "../../components/states.js";
import {
  emptyForm,
  formOf,
  manifestOf,
  MODEL_POLICIES,
  PRIVACY_POLICIES,
  ROUTE_LABELS,
  type FeatureForm,
} from "./feature-form.js";
import { PricePreview } from "./price-preview.js";

/** Create (`/features/new`) or edit a feature: a form over the manifest, with the price preview beside it. */
export function FeatureEditorPage() {
  const { appId = "", featureKey = "new" } = useParams();
  const creating = featureKey === "new";
  const base = `/v1/developer/apps/${encodeURIComponent(appId)}/features`;
  const models = useQuery({
    queryKey: ["/v1/developer/models"],
    queryFn: () => api<{ items: CatalogModel[] }>("/v1/developer/models"),
  });
  const feature = useQuery({
    queryKey: [base, "features"],
    queryFn: () => api<{ items: Feature[] }>(base),
    select: (data) => data.items.find((item) => item.feature_key === featureKey) ?? null,
    enabled: !creating,
  });
  return (
    <>
      <p className="breadcrumb">
        <Link to="/developer/apps">Apps</Link> /{" "}
        <Link to={`/developer/apps/${encodeURIComponent(appId)}`}>{appId}</Link> /{" "}
        {creating ? "new feature" : featureKey}
      </p>
      <h1>{creating ? "New feature" : `Feature ${featureKey}`}</h1>
      <QueryView query={models} loading="Loading the model catalog…">
        {({ items }) =>
          creating ? (
            <Editor appId={appId} models={items} initial={emptyForm(items[0]?.id ?? "")} creating />
          ) : feature.isPending ? (
            <Loading />
          ) : feature.isError ? (
            <ErrorNotice error={feature.error} />
          ) : feature.data ? (
            <Editor appId={appId} models={items} initial={formOf(feature.data)} creating={false} />
          ) : (
            <ErrorNotice error={new Error("No such feature in this app.")} title="Not found" />
          )
        }
      </QueryView>
    </>
  );
}

function Editor({
  appId,
  models,
  initial,
  creating,
}: {
  appId: string;
  models: CatalogModel[];
  initial: FeatureForm;
  creating: boolean;
}) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState(initial);
  const base = `/v1/developer/apps/${encodeURIComponent(appId)}/features`;
  const manifest = manifestOf(form);
  const save = useMutation({
    mutationFn: () =>
      creating
        ? api<Feature>(base, { method: "POST", body: manifest })
        : api<Feature>(`${base}/${encodeURIComponent(form.featureKey)}`, {
            method: "PATCH",
            body: { display_name: manifest.display_name, policy: manifest.policy, pricing: manifest.pricing },
          }),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: [base] });
      if (creating) await navigate(`/developer/apps/${encodeURIComponent(appId)}/features/${saved.feature_key}`);
    },
  });
  const set = <Key extends keyof FeatureForm>(key: Key, value: FeatureForm[Key]) => {
    save.reset();
    setForm((current) => ({ ...current, [key]: value }));
  };
  const move = (index: number, by: -1 | 1) => {
    const routes = [...form.routes];
    const [entry] = routes.splice(index, 1);
    if (entry) routes.splice(index + by, 0, entry);
    set("routes", routes);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <div className="editor">
      <form className="stacked-form" onSubmit={submit} aria-label="Feature settings">
        <fieldset>
          <legend>Feature</legend>
          <Field id="feature-key" label="Feature key" hint="a-z, 0-9, _ . - ; fixed once created">
            <input
              id="feature-key"
              required
              readOnly={!creating}
              pattern="[a-z0-9][a-z0-9_.\-]{0,63}"
              value={form.featureKey}
              onChange={(event) => set("featureKey", event.target.value)}
            />
          </Field>
          <Field id="display-name" label="Display name">
            <input
              id="display-name"
              required
              maxLength={200}
              value={form.displayName}
              onChange={(event) => set("displayName", event.target.value)}
            />
          </Field>
        </fieldset>
        <fieldset>
          <legend>Routes, in order of preference</legend>
          <ol className="route-list">
            {form.routes.map((entry, index) => (
              <li key={entry.route}>
                <input
                  type="checkbox"
                  id={`route-${entry.route}`}
                  checked={entry.enabled}
                  onChange={(event) =>
                    set(
                      "routes",
                      form.routes.map((other) =>
                        other.route === entry.route ? { ...other, enabled: event.target.checked } : other,
                      ),
                    )
                  }
                />
                <label htmlFor={`route-${entry.route}`}>{ROUTE_LABELS[entry.route]}</label>
                <button
                  type="button"
                  className="icon"
                  aria-label={`Move ${ROUTE_LABELS[entry.route]} up`}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon"
                  aria-label={`Move ${ROUTE_LABELS[entry.route]} down`}
                  disabled={index === form.routes.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
              </li>
            ))}
          </ol>
          <div className="check">
            <input
              type="checkbox"
              id="fallback"
              checked={form.fallbackToPlatform}
              onChange={(event) => set("fallbackToPlatform", event.target.checked)}
            />
            <label htmlFor="fallback">Fall back to the platform pool when the preferred routes fail</label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Models and limits</legend>
          <Field id="default-model" label="Default model">
            <select
              id="default-model"
              value={form.defaultModel}
              onChange={(event) => set("defaultModel", event.target.value)}
            >
              {models.map((model) => (
                <option key={model.id} value={model.id}>
                  {model.id} ({model.provider})
                </option>
              ))}
            </select>
          </Field>
          <Field id="model-policy" label="Model policy">
            <select
              id="model-policy"
              value={form.modelPolicy}
              onChange={(event) => set("modelPolicy", event.target.value)}
            >
              {withCurrent(MODEL_POLICIES, form.modelPolicy).map((policy) => (
                <option key={policy}>{policy}</option>
              ))}
            </select>
          </Field>
          <Field id="privacy" label="Privacy">
            <select id="privacy" value={form.privacy} onChange={(event) => set("privacy", event.target.value)}>
              {withCurrent(PRIVACY_POLICIES, form.privacy).map((policy) => (
                <option key={policy}>{policy}</option>
              ))}
            </select>
          </Field>
          <Field id="max-output" label="Most output tokens per request">
            <input
              id="max-output"
              type="number"
              min={1}
              max={1_000_000}
              required
              value={form.maxOutputTokens}
              onChange={(event) => set("maxOutputTokens", event.target.value)}
            />
          </Field>
        </fieldset>
        <fieldset>
          <legend>Pricing</legend>
          <Field id="markup" label="Markup over provider cost (%)">
            <input
              id="markup"
              type="number"
              min={0}
              step={0.01}
              required
              value={form.markupPercent}
              onChange={(event) => set("markupPercent", event.target.value)}
            />
          </Field>
          <Field id="channel-share" label="Your share of the margin (%)">
            <input
              id="channel-share"
              type="number"
              min={0}
              max={100}
              step={0.01}
              required
              value={form.channelSharePercent}
              onChange={(event) => set("channelSharePercent", event.target.value)}
            />
          </Field>
          <Field id="byok-fee" label="Fee per BYOK request (USD)">
            <input
              id="byok-fee"
              inputMode="decimal"
              value={form.byokFeeUsd}
              onChange={(event) => set("byokFeeUsd", event.target.value)}
            />
          </Field>
          <Field id="local-fee" label="Fee per local request (USD)">
            <input
              id="local-fee"
              inputMode="decimal"
              value={form.localFeeUsd}
              onChange={(event) => set("localFeeUsd", event.target.value)}
            />
          </Field>
        </fieldset>
        <div className="form-actions">
          <button type="submit" disabled={save.isPending}>
            {creating ? "Create feature" : "Save changes"}
          </button>
          {save.isSuccess && !creating && <span role="status">Saved.</span>}
        </div>
        {save.isError && <ErrorNotice error={save.error} title="Not saved" />}
      </form>
      <PricePreview pricing={manifest.pricing} model={models.find((model) => model.id === form.defaultModel)} />
    </div>
  );
}

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small className="muted">{hint}</small>}
    </div>
  );
}

/** The known words plus the stored one, when a feature was saved with another. */
const withCurrent = (known: readonly string[], current: string) =>
  known.includes(current) ? [...known] : [...known, current];
