import type { UserUsageItem } from "@modelfaucet/contract";
import { parseUsd, formatUsd } from "@modelfaucet/core";
import { ByokKeyForm, FaucetProvider, useFaucet, useWallet } from "@modelfaucet/react";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { ErrorNotice, Loading } from "../../components/states.js";
import { Time } from "../../components/time.js";
import { handedOverFaucet } from "./handed-session.js";

/**
 * An end user's own pages, for apps that link to them: wallet and top-up,
 * usage history, BYOK keys — built on @modelfaucet/react, as an app would.
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
          <FaucetProvider client={faucet}>
            <h1>Your wallet</h1>
            <WalletCard />
            <UsageHistory />
            <section aria-labelledby="keys-title">
              <h2 id="keys-title">Your own provider keys</h2>
              <p>Requests use your key first, at no markup: only the app&apos;s visible fee applies.</p>
              <ByokKeyForm className="card byok-form" />
            </section>
          </FaucetProvider>
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

function WalletCard() {
  const wallet = useWallet();
  const [amount, setAmount] = useState("10.00");
  const topUp = useMutation({
    mutationFn: () => {
      const back = `${window.location.origin}/user`;
      return wallet.topUp({
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
  const { balanceUsd, availableUsd } = wallet;
  return (
    <section className="card" aria-labelledby="wallet-title">
      <h2 id="wallet-title">Balance</h2>
      {balanceUsd === null || availableUsd === null ? (
        wallet.error ? (
          <ErrorNotice error={wallet.error} />
        ) : (
          <Loading />
        )
      ) : (
        <dl className="figures">
          <div>
            <dt>Available</dt>
            <dd>
              <Money usd={availableUsd} />
            </dd>
          </div>
          <div>
            <dt>Balance</dt>
            <dd>
              <Money usd={balanceUsd} />
            </dd>
          </div>
          <div>
            <dt>Held by requests in flight</dt>
            <dd>
              <Money usd={formatUsd(parseUsd(balanceUsd) - parseUsd(availableUsd))} />
            </dd>
          </div>
        </dl>
      )}
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

/** The user's requests, newest first, through the provider's client (the hooks do not cover history). */
function UsageHistory() {
  const faucet = useFaucet();
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
