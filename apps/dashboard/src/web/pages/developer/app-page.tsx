import type { CreatedAppSecretKey, DeveloperApp, Feature } from "@modelfaucet/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { useActingDeveloper } from "../../api/acting-developer.js";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { ErrorNotice, QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";

/** One app: its features (each opens the feature editor), a new secret key shown once, archiving. */
export function AppPage() {
  const { appId = "" } = useParams();
  const { query } = useActingDeveloper();
  const base = `/v1/developer/apps/${encodeURIComponent(appId)}`;
  const app = useQuery({
    queryKey: ["/v1/developer/apps", query],
    queryFn: () => api<{ items: DeveloperApp[] }>("/v1/developer/apps", { query }),
    select: (data) => data.items.find((item) => item.public_app_id === appId) ?? null,
  });
  const features = useQuery({
    queryKey: [base, "features"],
    queryFn: () => api<{ items: Feature[] }>(`${base}/features`),
  });
  const columns: Column<Feature>[] = [
    {
      id: "feature_key",
      header: "Feature",
      value: (feature) => feature.feature_key,
      cell: (feature) => (
        <Link to={`/developer/apps/${encodeURIComponent(appId)}/features/${encodeURIComponent(feature.feature_key)}`}>
          {feature.display_name} <code>{feature.feature_key}</code>
        </Link>
      ),
    },
    { id: "default_model", header: "Default model", value: (feature) => feature.policy.default_model },
    { id: "routes", header: "Routes", value: (feature) => feature.policy.route_preference.join(" → ") },
    { id: "markup_percent", header: "Markup %", value: (feature) => feature.pricing.markup_percent, numeric: true },
    { id: "status", header: "Status", value: (feature) => feature.status },
  ];
  return (
    <>
      <p className="breadcrumb">
        <Link to="/developer/apps">Apps</Link> / <code>{appId}</code>
      </p>
      <QueryView query={app}>
        {(found) =>
          found ? (
            <>
              <h1>{found.name}</h1>
              <p className="muted">
                <code>{found.public_app_id}</code> · {found.session_mode} sessions · {found.status} · created{" "}
                {<Time iso={found.created_at} />}
              </p>
              <SecretKey appId={appId} />
              <section aria-labelledby="features-title">
                <div className="section-head">
                  <h2 id="features-title">Features</h2>
                  <Link className="button" to={`/developer/apps/${encodeURIComponent(appId)}/features/new`}>
                    New feature
                  </Link>
                </div>
                <QueryView query={features}>
                  {(data) => (
                    <DataTable
                      caption={`Features of ${found.name}`}
                      rows={data.items}
                      columns={columns}
                      csvName={`${appId}-features.csv`}
                      empty="No features yet."
                    />
                  )}
                </QueryView>
              </section>
              {found.status === "active" && <ArchiveApp appId={appId} />}
            </>
          ) : (
            <ErrorNotice error={new Error("No app with this id among yours.")} title="Not found" />
          )
        }
      </QueryView>
    </>
  );
}

function SecretKey({ appId }: { appId: string }) {
  const create = useMutation({
    mutationFn: () =>
      api<CreatedAppSecretKey>(`/v1/developer/apps/${encodeURIComponent(appId)}/secret-keys`, { method: "POST" }),
  });
  return (
    <section className="card" aria-labelledby="secret-key-title">
      <h2 id="secret-key-title">Secret key</h2>
      <p>Your backend signs users in with it. It is shown once, here, and never again.</p>
      <button type="button" onClick={() => create.mutate()} disabled={create.isPending}>
        Create a secret key
      </button>
      {create.isError && <ErrorNotice error={create.error} />}
      {create.data && (
        <div className="secret" role="status">
          <p>
            Copy it now (<code>{create.data.id}</code>):
          </p>
          <output className="secret-value" aria-label="New secret key">
            {create.data.secret_key}
          </output>
        </div>
      )}
    </section>
  );
}

function ArchiveApp({ appId }: { appId: string }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const archive = useMutation({
    mutationFn: () => api(`/v1/developer/apps/${encodeURIComponent(appId)}`, { method: "DELETE" }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["/v1/developer/apps"] });
      await navigate("/developer/apps");
    },
  });
  return (
    <section className="card danger" aria-labelledby="archive-title">
      <h2 id="archive-title">Archive this app</h2>
      <p>Its sessions stop working at once; usage and revenue stay in your reports.</p>
      <button
        type="button"
        className="danger"
        onClick={() => {
          if (window.confirm(`Archive ${appId}? Its users lose access at once.`)) archive.mutate();
        }}
      >
        Archive app
      </button>
      {archive.isError && <ErrorNotice error={archive.error} />}
    </section>
  );
}
