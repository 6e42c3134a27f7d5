import type { Adjustment, WalletEntry } from "@modelfaucet/contract";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../api/api-client.js";
import { useWalletSummary, walletPath, walletQueryKey } from "../../api/queries.js";
import { DataTable, type Column } from "../../components/data-table.js";
import { Money } from "../../components/money.js";
import { ErrorNotice, Loading, QueryView } from "../../components/states.js";
import { Time } from "../../components/time.js";
import { newIdempotencyKey } from "../../lib/random-key.js";

const columns: Column<WalletEntry>[] = [
  {
    id: "created_at",
    header: "Time",
    value: (entry) => entry.created_at,
    cell: (entry) => <Time iso={entry.created_at} />,
  },
  { id: "code", header: "Code", value: (entry) => entry.code },
  { id: "kind", header: "Kind", value: (entry) => entry.kind },
  { id: "direction", header: "Direction", value: (entry) => entry.direction },
  {
    id: "amount_usd",
    header: "Amount",
    numeric: true,
    value: (entry) => entry.amount_usd,
    cell: (entry) => <Money usd={entry.amount_usd} />,
  },
  {
    id: "counterparty",
    header: "Other account",
    value: (entry) => entry.counterparty,
    cell: (entry) => <code>{entry.counterparty}</code>,
  },
  { id: "request_id", header: "Request", value: (entry) => entry.request_id ?? "" },
  {
    id: "transfer_id",
    header: "Transfer",
    value: (entry) => entry.transfer_id,
    cell: (entry) => <code>{entry.transfer_id}</code>,
  },
];

/** One wallet's balances and ledger entries, and the operator's adjustment form. */
export function WalletPage() {
  const { walletId = "" } = useParams();
  const entries = useInfiniteQuery({
    queryKey: [...walletQueryKey(walletId), "entries"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api<{ items: WalletEntry[]; next_cursor: string | null }>(`${walletPath(walletId)}/entries`, {
        query: { limit: 200, cursor: pageParam },
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return (
    <>
      <p className="breadcrumb">
        <Link to="/operator/wallets">Wallets</Link> / <code>{walletId}</code>
      </p>
      <h1>
        Wallet <code>{walletId}</code>
      </h1>
      <WalletBalances walletId={walletId} />
      <AdjustmentForm walletId={walletId} />
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">Ledger entries</h2>
        {entries.isPending ? (
          <Loading />
        ) : entries.isError ? (
          <ErrorNotice error={entries.error} />
        ) : (
          <>
            <DataTable
              caption={`Ledger entries of ${walletId}`}
              rows={entries.data.pages.flatMap((page) => page.items)}
              columns={columns}
              csvName={`wallet-${walletId}.csv`}
              empty="No entries: this wallet was never credited."
              initialSort={{ id: "created_at", desc: true }}
            />
            {entries.hasNextPage && (
              <button type="button" onClick={() => void entries.fetchNextPage()}>
                Load older entries
              </button>
            )}
          </>
        )}
      </section>
    </>
  );
}

/** What the wallet holds now: its posted balance, what requests in flight hold, and what is left to spend. */
function WalletBalances({ walletId }: { walletId: string }) {
  const summary = useWalletSummary(walletId);
  return (
    <section className="card" aria-labelledby="balances-title">
      <h2 id="balances-title">Balance</h2>
      <QueryView query={summary}>
        {(wallet) => (
          <dl className="figures">
            <div>
              <dt>Available</dt>
              <dd>
                <Money usd={wallet.available_usd} />
              </dd>
            </div>
            <div>
              <dt>Balance</dt>
              <dd>
                <Money usd={wallet.balance_usd} />
              </dd>
            </div>
            <div>
              <dt>Held by requests in flight</dt>
              <dd>
                <Money usd={wallet.held_usd} />
              </dd>
            </div>
            <div>
              <dt>App</dt>
              <dd>
                <code>{wallet.app_id}</code>
              </dd>
            </div>
          </dl>
        )}
      </QueryView>
    </section>
  );
}

interface Draft {
  kind: "adjustment" | "refund" | "chargeback";
  direction: "credit" | "debit";
  amount: string;
  reason: string;
  key: string;
}

/**
 * An adjustment in two steps: fill in, then confirm what will be written. The
 * idempotency key is chosen up front, so a retry after a lost answer applies
 * once; the same key with other content is refused by the API.
 */
function AdjustmentForm({ walletId }: { walletId: string }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>({
    kind: "adjustment",
    direction: "credit",
    amount: "",
    reason: "",
    key: newIdempotencyKey(),
  });
  const [confirming, setConfirming] = useState(false);
  const adjust = useMutation({
    mutationFn: () =>
      api<Adjustment>(`${walletPath(walletId)}/adjustments`, {
        method: "POST",
        body: {
          kind: draft.kind,
          direction: draft.direction,
          amount_usd: draft.amount,
          reason: draft.reason,
          idempotency_key: draft.key,
        },
      }),
    onSuccess: () => {
      // The next adjustment is another one: a fresh key. After a failure the key stays, so a retry applies once.
      setDraft((current) => ({ ...current, amount: "", reason: "", key: newIdempotencyKey() }));
    },
    onSettled: async () => {
      setConfirming(false);
      // Its balances and its entries both: an applied adjustment changed them (a refused one did not, but is cheap to re-read).
      await client.invalidateQueries({ queryKey: walletQueryKey(walletId) });
    },
  });
  const set = <Key extends keyof Draft>(key: Key, value: Draft[Key]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const review = (event: FormEvent) => {
    event.preventDefault();
    adjust.reset();
    setConfirming(true);
  };
  return (
    <section className="card" aria-labelledby="adjust-title">
      <h2 id="adjust-title">Adjust this wallet</h2>
      {confirming ? (
        <div role="group" aria-labelledby="confirm-title">
          <p id="confirm-title">
            <strong>
              {draft.direction === "credit" ? "Credit" : "Debit"} <Money usd={draft.amount} /> ({draft.kind})
            </strong>{" "}
            {draft.direction === "credit" ? "to" : "from"} <code>{walletId}</code>, because “{draft.reason}”, with
            idempotency key <code>{draft.key}</code>?
          </p>
          <div className="form-actions">
            <button type="button" onClick={() => adjust.mutate()} disabled={adjust.isPending} autoFocus>
              Confirm adjustment
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Back
            </button>
          </div>
        </div>
      ) : (
        <form className="inline-form" onSubmit={review}>
          <div className="field">
            <label htmlFor="adjust-direction">Direction</label>
            <select
              id="adjust-direction"
              value={draft.direction}
              onChange={(event) => set("direction", event.target.value as Draft["direction"])}
            >
              <option value="credit">credit</option>
              <option value="debit">debit</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="adjust-kind">Kind</label>
            <select
              id="adjust-kind"
              value={draft.kind}
              onChange={(event) => set("kind", event.target.value as Draft["kind"])}
            >
              <option value="adjustment">adjustment</option>
              <option value="refund">refund</option>
              <option value="chargeback">chargeback</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="adjust-amount">Amount (USD)</label>
            <input
              id="adjust-amount"
              inputMode="decimal"
              required
              pattern="[0-9]+(\.[0-9]{1,8})?"
              value={draft.amount}
              onChange={(event) => set("amount", event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="adjust-reason">Reason</label>
            <input
              id="adjust-reason"
              required
              maxLength={500}
              value={draft.reason}
              onChange={(event) => set("reason", event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="adjust-key">Idempotency key</label>
            <input
              id="adjust-key"
              required
              maxLength={200}
              value={draft.key}
              onChange={(event) => set("key", event.target.value)}
            />
          </div>
          <button type="submit">Review adjustment</button>
          <button type="button" className="secondary" onClick={() => set("key", newIdempotencyKey())}>
            New key
          </button>
        </form>
      )}
      {adjust.isError && <ErrorNotice error={adjust.error} title="Adjustment refused" />}
      {adjust.data && (
        <p role="status">
          {adjust.data.applied ? "Applied." : "Already applied earlier with this key: nothing changed."} Available now:{" "}
          <Money usd={adjust.data.available_usd} />
        </p>
      )}
    </section>
  );
}
