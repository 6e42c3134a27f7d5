import type { DeveloperApp } from "@modelfaucet/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useActingDeveloper } from "../../api/acting-developer.js";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { ErrorNotice, QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";

const columns: Column<DeveloperApp>[] = [
  {
    id: "name",
    header: "Name",
    value: (app) => app.name,
    cell: (app) => <Link to={`/developer/apps/${encodeURIComponent(app.public_app_id)}`}>{app.name}</Link>,
  },
  {
    id: "public_app_id",
    header: "Public app id",
    value: (app) => app.public_app_id,
    cell: (app) => <code>{app.public_app_id}</code>,
  },
  { id: "session_mode", header: "Sessions", value: (app) => app.session_mode },
  { id: "status", header: "Status", value: (app) => app.status },
  { id: "created_at", header: "Created", value: (app) => app.created_at, cell: (app) => <Time iso={app.created_at} /> },
];

/** The developer's apps; a new app is created here (its features and secret keys on its own page). */
export function AppsPage() {
  const { query } = useActingDeveloper();
  const apps = useQuery({
    queryKey: ["/v1/developer/apps", query],
    queryFn: () => api<{ items: DeveloperApp[] }>("/v1/developer/apps", { query }),
  });
  return (
    <>
      <h1>Apps & features</h1>
      <CreateAppForm />
      <QueryView query={apps}>
        {(data) => (
          <DataTable
            caption="Your apps"
            rows={data.items}
            columns={columns}
            csvName="apps.csv"
            empty="No apps yet: create one above."
            initialSort={{ id: "created_at", desc: true }}
          />
        )}
      </QueryView>
    </>
  );
}

function CreateAppForm() {
  const client = useQueryClient();
  const { query } = useActingDeveloper();
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"signed" | "public">("signed");
  const create = useMutation({
    mutationFn: () =>
      api<DeveloperApp>("/v1/developer/apps", { method: "POST", body: { name, session_mode: mode, ...query } }),
    onSuccess: async () => {
      setName("");
      await client.invalidateQueries({ queryKey: ["/v1/developer/apps"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="new-app">
      <h2 id="new-app">New app</h2>
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="app-name">Name</label>
          <input
            id="app-name"
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="app-mode">Session mode</label>
          <select id="app-mode" value={mode} onChange={(event) => setMode(event.target.value as "signed" | "public")}>
            <option value="signed">signed (your backend vouches for each user)</option>
            <option value="public">public (the app id alone mints sessions)</option>
          </select>
        </div>
        <button type="submit" disabled={create.isPending || name.trim() === ""}>
          Create app
        </button>
      </form>
      {create.isError && <ErrorNotice error={create.error} title="The app was not created" />}
      {create.isSuccess && (
        <p role="status">
          Created{" "}
          <Link to={`/developer/apps/${encodeURIComponent(create.data.public_app_id)}`}>{create.data.name}</Link> (
          <code>{create.data.public_app_id}</code>).
        </p>
      )}
    </section>
  );
}
