import {
  PROVIDER_KEY_PROVIDERS,
  type ProviderKey,
  type ProviderKeyProvider,
  type UserUsageItem,
} from "@modelfaucet/contract";
import type { Faucet } from "@modelfaucet/sdk";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { ErrorNotice, Loading, QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";
import { handedOverFaucet } from "./handed-session.js";

/**
 * An end user's own pages, for apps that link to them: wallet and top-up,
 * usage history, BYOK keys. Built on @modelfaucet/sdk's client
 * (@modelfaucet/react did not exist yet when this was written).
 */
export function UserPage() {
  const faucet = handedOverFaucet();
  return (
    <div className="user-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Your AI wallet</span>
      </header>
      <main id="main" tabIndex={-1}>
        {faucet ? (
          <>
            <h1>Your wallet</h1>
            <WalletCard faucet={faucet} />
            <UsageHistory faucet={faucet} />
            <ByokKeys faucet={faucet} />
          </>
        ) : (
          <ErrorNotice
            title="No session"
            error={
              new Error("Open this page from the app you use: it hands over your session. A reload needs a new link.")
            }
          />
        )}
      </main>
    </div>
  );
}

function WalletCard({ faucet }: { faucet: Faucet }) {
  const wallet = useQuery({ queryKey: ["user-wallet"], queryFn: () => faucet.wallet.get() });
  const [amount, setAmount] = useState("10.00");
  const topUp = useMutation({
    mutationFn: () => {
      const back = `${window.location.origin}/user`;
      return faucet.wallet.topUp({
        amountUsd: amount,
        successUrl: `${back}?top_up=done`,
        cancelUrl: `${back}?top_up=cancelled`,
      });
    },
    // Stripe Checkout takes it from here; the wallet is credited by its webhook.
    onSuccess: ({ url }) => window.location.assign(url),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    topUp.mutate();
  };
  return (
    <section className="card" aria-labelledby="wallet-title">
      <h2 id="wallet-title">Balance</h2>
      <QueryView query={wallet}>
        {(data) => (
          <dl className="figures">
            <div>
              <dt>Available</dt>
              <dd>
                <Money usd={data.available_usd} />
              </dd>
            </div>
            <div>
              <dt>Balance</dt>
              <dd>
                <Money usd={data.balance_usd} />
              </dd>
            </div>
            <div>
              <dt>Held by requests in flight</dt>
              <dd>
                <Money usd={data.held_usd} />
              </dd>
            </div>
          </dl>
        )}
      </QueryView>
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="top-up-amount">Top up (USD)</label>
          <input
            id="top-up-amount"
            inputMode="decimal"
            required
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
          />
        </div>
        <button type="submit" disabled={topUp.isPending}>
          Pay with Stripe
        </button>
      </form>
      {topUp.isError && <ErrorNotice error={topUp.error} title="Top-up not started" />}
    </section>
  );
}

const usageColumns: Column<UserUsageItem>[] = [
  {
    id: "created_at",
    header: "Time",
    value: (item) => item.created_at,
    cell: (item) => <Time iso={item.created_at} />,
  },
  { id: "feature_key", header: "Feature", value: (item) => item.feature_key ?? "" },
  { id: "model", header: "Model", value: (item) => item.model },
  { id: "route_mode", header: "Route", value: (item) => item.route_mode },
  { id: "tokens", header: "Tokens", numeric: true, value: (item) => item.input_tokens + item.output_tokens },
  {
    id: "price_usd",
    header: "Price",
    numeric: true,
    value: (item) => item.price_usd,
    cell: (item) => <Money usd={item.price_usd} />,
  },
];

function UsageHistory({ faucet }: { faucet: Faucet }) {
  const history = useInfiniteQuery({
    queryKey: ["user-usage"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => faucet.wallet.history({ cursor: pageParam, limit: 100 }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Usage</h2>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorNotice error={history.error} />
      ) : (
        <>
          <DataTable
            caption="Your requests"
            rows={history.data.pages.flatMap((page) => page.items)}
            columns={usageColumns}
            csvName="my-usage.csv"
            empty="No requests yet."
          />
          {history.hasNextPage && (
            <button type="button" onClick={() => void history.fetchNextPage()}>
              Load older requests
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ByokKeys({ faucet }: { faucet: Faucet }) {
  const client = useQueryClient();
  const keys = useQuery({ queryKey: ["user-keys"], queryFn: () => faucet.keys.list() });
  const [provider, setProvider] = useState<ProviderKeyProvider>(PROVIDER_KEY_PROVIDERS[0]);
  const [apiKey, setApiKey] = useState("");
  const refresh = () => client.invalidateQueries({ queryKey: ["user-keys"] });
  const add = useMutation({
    mutationFn: () => faucet.keys.add({ provider, apiKey }),
    onSuccess: async () => {
      setApiKey("");
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => faucet.keys.remove(id), onSettled: refresh });
  const columns: Column<ProviderKey>[] = [
    { id: "provider", header: "Provider", value: (key) => key.provider },
    { id: "masked", header: "Key", value: (key) => key.masked, cell: (key) => <code>{key.masked}</code> },
    { id: "created_at", header: "Added", value: (key) => key.created_at, cell: (key) => <Time iso={key.created_at} /> },
    {
      id: "actions",
      header: "Actions",
      value: () => null,
      cell: (key) => (
        <button type="button" className="secondary" onClick={() => remove.mutate(key.id)}>
          Remove <span className="visually-hidden">{key.masked}</span>
        </button>
      ),
    },
  ];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">Your own provider keys</h2>
      <p>Requests use your key first, at no markup: only the app&apos;s visible fee applies.</p>
      <form className="inline-form card" onSubmit={submit} aria-label="Add your key">
        <div className="field">
          <label htmlFor="byok-provider">Provider</label>
          <select
            id="byok-provider"
            value={provider}
            onChange={(event) => setProvider(event.target.value as ProviderKeyProvider)}
          >
            {PROVIDER_KEY_PROVIDERS.filter((name) => name !== "openai_compatible").map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="byok-key">API key</label>
          <input
            id="byok-key"
            type="password"
            autoComplete="off"
            required
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
          />
        </div>
        <button type="submit" disabled={add.isPending || apiKey === ""}>
          Add key
        </button>
      </form>
      {add.isError && <ErrorNotice error={add.error} title="The key was not added" />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      <QueryView query={keys}>
        {(items) => <DataTable caption="Your keys" rows={items} columns={columns} empty="No keys." />}
      </QueryView>
    </section>
  );
}
