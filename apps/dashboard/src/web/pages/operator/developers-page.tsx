import type { Developer } from "@modelfaucet/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { ErrorNotice, QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";

const PATH = "/v1/admin/developers";

const columns: Column<Developer>[] = [
  { id: "name", header: "Name", value: (developer) => developer.name },
  { id: "id", header: "Id", value: (developer) => developer.id, cell: (developer) => <code>{developer.id}</code> },
  { id: "email", header: "Email", value: (developer) => developer.email },
  { id: "status", header: "Status", value: (developer) => developer.status },
  {
    id: "created_at",
    header: "Registered",
    value: (developer) => developer.created_at,
    cell: (developer) => <Time iso={developer.created_at} />,
  },
  {
    id: "usage",
    header: "Usage",
    value: () => null,
    cell: (developer) => (
      <Link to={`/operator?developer=${encodeURIComponent(developer.id)}`}>
        Usage <span className="visually-hidden">of {developer.name}</span>
      </Link>
    ),
  },
];

/** Registered developers; the operator registers new ones here. */
export function DevelopersPage() {
  const developers = useQuery({
    queryKey: [PATH],
    queryFn: () => api<{ items: Developer[] }>(PATH, { query: { limit: 200 } }),
  });
  return (
    <>
      <h1>Developers</h1>
      <RegisterDeveloper />
      <QueryView query={developers}>
        {(data) => (
          <DataTable
            caption="Developers"
            rows={data.items}
            columns={columns}
            csvName="developers.csv"
            empty="No developers yet."
          />
        )}
      </QueryView>
    </>
  );
}

function RegisterDeveloper() {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const register = useMutation({
    mutationFn: () => api<Developer>(PATH, { method: "POST", body: { name, email } }),
    onSuccess: async () => {
      setName("");
      setEmail("");
      await client.invalidateQueries({ queryKey: [PATH] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };
  return (
    <form className="inline-form card" onSubmit={submit} aria-label="Register a developer">
      <div className="field">
        <label htmlFor="developer-name">Name</label>
        <input id="developer-name" required value={name} onChange={(event) => setName(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="developer-email">Email</label>
        <input
          id="developer-email"
          type="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </div>
      <button type="submit" disabled={register.isPending}>
        Register developer
      </button>
      {register.isError && <ErrorNotice error={register.error} title="Not registered" />}
    </form>
  );
}
