import {
  DEVELOPER_SCOPES,
  PROVIDER_KEY_PROVIDERS,
  type CreatedToken,
  type DeveloperScope,
  type DeveloperToken,
  type ProviderKey,
} from "@modelfaucet/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useActingDeveloper } from "../../api/acting-developer.js";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { ErrorNotice, QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";

const KEYS = "/v1/developer/provider-keys";
const TOKENS = "/v1/developer/tokens";

/** Provider keys (masked, with budgets) and scoped developer tokens. */
export function KeysPage() {
  return (
    <>
      <h1>Keys & tokens</h1>
      <ProviderKeys />
      <Tokens />
    </>
  );
}

function ProviderKeys() {
  const client = useQueryClient();
  const { query } = useActingDeveloper();
  const keys = useQuery({ queryKey: [KEYS, query], queryFn: () => api<{ items: ProviderKey[] }>(KEYS, { query }) });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`${KEYS}/${id}`, { method: "DELETE", query }),
    onSuccess: () => client.invalidateQueries({ queryKey: [KEYS] }),
  });
  const columns: Column<ProviderKey>[] = [
    { id: "provider", header: "Provider", value: (key) => key.provider },
    { id: "masked", header: "Key", value: (key) => key.masked, cell: (key) => <code>{key.masked}</code> },
    {
      id: "budget_limit_usd",
      header: "Budget",
      numeric: true,
      value: (key) => key.budget_limit_usd,
      cell: (key) => (key.budget_limit_usd ? <Money usd={key.budget_limit_usd} /> : "none"),
    },
    { id: "priority", header: "Priority", numeric: true, value: (key) => key.priority },
    { id: "created_at", header: "Added", value: (key) => key.created_at, cell: (key) => <Time iso={key.created_at} /> },
    {
      id: "actions",
      header: "Actions",
      value: () => null,
      cell: (key) =>
        key.revoked_at ? (
          "revoked"
        ) : (
          <button type="button" className="secondary" onClick={() => revoke.mutate(key.id)}>
            Revoke <span className="visually-hidden">{key.masked}</span>
          </button>
        ),
    },
  ];
  return (
    <section aria-labelledby="provider-keys-title">
      <h2 id="provider-keys-title">Provider keys</h2>
      <p>Your own upstream keys for the developer-key route. They are encrypted at rest and only ever shown masked.</p>
      <AddProviderKey />
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      <QueryView query={keys}>
        {(data) => (
          <DataTable
            caption="Provider keys"
            rows={data.items}
            columns={columns}
            csvName="provider-keys.csv"
            empty="No provider keys."
          />
        )}
      </QueryView>
    </section>
  );
}

function AddProviderKey() {
  const client = useQueryClient();
  const { query } = useActingDeveloper();
  const [provider, setProvider] = useState<string>(PROVIDER_KEY_PROVIDERS[0]);
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [budget, setBudget] = useState("");
  const add = useMutation({
    mutationFn: () =>
      api<ProviderKey>(KEYS, {
        method: "POST",
        body: {
          provider,
          api_key: apiKey,
          ...(baseUrl ? { base_url: baseUrl } : {}),
          ...(budget ? { budget_limit_usd: budget } : {}),
          ...query,
        },
      }),
    onSuccess: async () => {
      setApiKey("");
      await client.invalidateQueries({ queryKey: [KEYS] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="inline-form card" onSubmit={submit} aria-label="Add a provider key">
      <div className="field">
        <label htmlFor="key-provider">Provider</label>
        <select id="key-provider" value={provider} onChange={(event) => setProvider(event.target.value)}>
          {PROVIDER_KEY_PROVIDERS.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="key-secret">API key</label>
        <input
          id="key-secret"
          type="password"
          autoComplete="off"
          required
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="key-base-url">Base URL (optional)</label>
        <input id="key-base-url" type="url" value={baseUrl} onChange={(event) => setBaseUrl(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="key-budget">Budget, USD (optional)</label>
        <input id="key-budget" inputMode="decimal" value={budget} onChange={(event) => setBudget(event.target.value)} />
      </div>
      <button type="submit" disabled={add.isPending || apiKey === ""}>
        Add key
      </button>
      {add.isError && <ErrorNotice error={add.error} title="The key was not added" />}
    </form>
  );
}

function Tokens() {
  const client = useQueryClient();
  const { query } = useActingDeveloper();
  const tokens = useQuery({
    queryKey: [TOKENS, query],
    queryFn: () => api<{ items: DeveloperToken[] }>(TOKENS, { query }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`${TOKENS}/${id}`, { method: "DELETE", query }),
    onSuccess: () => client.invalidateQueries({ queryKey: [TOKENS] }),
  });
  const columns: Column<DeveloperToken>[] = [
    { id: "name", header: "Name", value: (token) => token.name },
    { id: "prefix", header: "Prefix", value: (token) => token.prefix, cell: (token) => <code>{token.prefix}…</code> },
    { id: "scopes", header: "Scopes", value: (token) => token.scopes.join(" ") },
    {
      id: "expires_at",
      header: "Expires",
      value: (token) => token.expires_at,
      cell: (token) => (token.expires_at ? <Time iso={token.expires_at} /> : "never"),
    },
    {
      id: "last_used_at",
      header: "Last used",
      value: (token) => token.last_used_at,
      cell: (token) => (token.last_used_at ? <Time iso={token.last_used_at} /> : "never"),
    },
    {
      id: "actions",
      header: "Actions",
      value: () => null,
      cell: (token) =>
        token.revoked_at ? (
          "revoked"
        ) : (
          <button type="button" className="secondary" onClick={() => revoke.mutate(token.id)}>
            Revoke <span className="visually-hidden">{token.name}</span>
          </button>
        ),
    },
  ];
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">Developer tokens</h2>
      <CreateToken />
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      <QueryView query={tokens}>
        {(data) => (
          <DataTable
            caption="Developer tokens"
            rows={data.items}
            columns={columns}
            csvName="tokens.csv"
            empty="No tokens."
          />
        )}
      </QueryView>
    </section>
  );
}

function CreateToken() {
  const client = useQueryClient();
  const { query } = useActingDeveloper();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<DeveloperScope[]>(["developer:operations:read"]);
  const create = useMutation({
    mutationFn: () => api<CreatedToken>(TOKENS, { method: "POST", body: { name, scopes, ...query } }),
    onSuccess: async () => {
      setName("");
      await client.invalidateQueries({ queryKey: [TOKENS] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="card stacked-form" onSubmit={submit} aria-label="Create a developer token">
      <div className="field">
        <label htmlFor="token-name">Name</label>
        <input
          id="token-name"
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <fieldset>
        <legend>Scopes</legend>
        <div className="checks">
          {DEVELOPER_SCOPES.map((scope) => (
            <div className="check" key={scope}>
              <input
                type="checkbox"
                id={`scope-${scope}`}
                checked={scopes.includes(scope)}
                onChange={(event) =>
                  setScopes(event.target.checked ? [...scopes, scope] : scopes.filter((other) => other !== scope))
                }
              />
              <label htmlFor={`scope-${scope}`}>{scope}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <button type="submit" disabled={create.isPending || name.trim() === "" || scopes.length === 0}>
        Create token
      </button>
      {create.isError && <ErrorNotice error={create.error} title="The token was not created" />}
      {create.data && (
        <div className="secret" role="status">
          <p>Copy the token now; it is not shown again:</p>
          <output className="secret-value" aria-label="New developer token">
            {create.data.token}
          </output>
        </div>
      )}
    </form>
  );
}
