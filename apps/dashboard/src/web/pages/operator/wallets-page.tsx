import type { WalletSummary } from "@modelfaucet/contract";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../api/api-client.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { ErrorNotice, Loading } from "../../components/states.js";
import { Time } from "../../components/time.js";

const PATH = "/v1/admin/wallets";

const money = (field: "balance_usd" | "held_usd" | "available_usd", header: string): Column<WalletSummary> => ({
  id: field,
  header,
  numeric: true,
  value: (wallet) => wallet[field],
  cell: (wallet) => <Money usd={wallet[field]} />,
});

const columns: Column<WalletSummary>[] = [
  {
    id: "wallet_id",
    header: "Wallet",
    value: (wallet) => wallet.wallet_id,
    cell: (wallet) => (
      <Link to={`/operator/wallets/${encodeURIComponent(wallet.wallet_id)}`}>
        <code>{wallet.wallet_id}</code>
      </Link>
    ),
  },
  { id: "app_id", header: "App", value: (wallet) => wallet.app_id, cell: (wallet) => <code>{wallet.app_id}</code> },
  money("balance_usd", "Balance"),
  money("held_usd", "Held"),
  money("available_usd", "Available"),
  {
    id: "created_at",
    header: "Created",
    value: (wallet) => wallet.created_at,
    cell: (wallet) => <Time iso={wallet.created_at} />,
  },
];

/** End users' wallets, newest first, optionally one app's (`?app=` in the URL). */
export function WalletsPage() {
  const [params, setParams] = useSearchParams();
  const app = params.get("app") ?? "";
  const [draft, setDraft] = useState(app);
  const wallets = useInfiniteQuery({
    queryKey: [PATH, app],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api<{ items: WalletSummary[]; next_cursor: string | null }>(PATH, {
        query: { app_id: app, limit: 200, cursor: pageParam },
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(draft.trim() ? { app: draft.trim() } : {});
  };
  return (
    <>
      <h1>Wallets</h1>
      <form className="inline-form card" onSubmit={submit} aria-label="Filter wallets">
        <div className="field">
          <label htmlFor="wallet-app">App id</label>
          <input
            id="wallet-app"
            value={draft}
            placeholder="all apps"
            onChange={(event) => setDraft(event.target.value)}
          />
        </div>
        <button type="submit">Apply</button>
      </form>
      {wallets.isPending ? (
        <Loading />
      ) : wallets.isError ? (
        <ErrorNotice error={wallets.error} />
      ) : (
        <>
          <DataTable
            caption={app ? `Wallets of ${app}` : "Wallets"}
            rows={wallets.data.pages.flatMap((page) => page.items)}
            columns={columns}
            csvName="wallets.csv"
            empty="No wallets."
          />
          {wallets.hasNextPage && (
            <button type="button" onClick={() => void wallets.fetchNextPage()}>
              Load more wallets
            </button>
          )}
        </>
      )}
    </>
  );
}
