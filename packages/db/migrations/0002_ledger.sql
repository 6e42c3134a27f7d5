-- Ledger: double-entry accounts and immutable transfers, modelled on
-- TigerBeetle. Amounts are integer units of 1e-8 USD in numeric(38,0). Only
-- packages/ledger writes these tables; its src/index.ts documents the design
-- (deferred balances on hot accounts, open holds, results per transfer).

-- One row per account, holding its four running totals. A column here may lag
-- the truth by the rows of ledger_balance_deltas not yet folded into it; the
-- exact value is always this row plus those deltas.
CREATE TABLE ledger_accounts (
  id               text PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('end_user', 'developer', 'platform_revenue', 'provider_cost',
                                                 'usage_clearing', 'external_funding', 'payouts_clearing',
                                                 'receivable')),
  owner_id         text CHECK (length(owner_id) BETWEEN 1 AND 128),
  debits_posted    numeric(38,0) NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_posted   numeric(38,0) NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  debits_pending   numeric(38,0) NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  credits_pending  numeric(38,0) NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- The id says what the account is, so a transfer row reads without a join.
  CHECK (CASE kind
           WHEN 'end_user' THEN id ~ '^user:[A-Za-z0-9_.:-]{1,128}$'
           WHEN 'developer' THEN id ~ '^developer:[A-Za-z0-9_.:-]{1,128}$'
           WHEN 'platform_revenue' THEN id = 'platform:revenue'
           ELSE id = 'platform:' || kind
         END),
  -- Constrained accounts (end users, developers) never spend more than they
  -- have: the ledger checks this in the UPDATE that debits them; this CHECK is
  -- the backstop. It holds on the stored row because their debits are always
  -- stored at once while credits may arrive later (see ledger_balance_deltas).
  CHECK (kind NOT IN ('end_user', 'developer') OR debits_posted + debits_pending <= credits_posted)
);

-- An account's identity never changes and an account is never removed: the
-- transfers that name it (without a foreign key, see below) must stay valid.
CREATE FUNCTION ledger_accounts_identity_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_accounts: id, kind and owner_id are immutable and rows are never deleted';
END;
$$;
CREATE TRIGGER ledger_accounts_no_identity_change
  BEFORE UPDATE OF id, kind, owner_id OR DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_accounts_identity_is_fixed();
CREATE TRIGGER ledger_accounts_no_truncate
  BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_accounts_identity_is_fixed();

-- Immutable. `id` is chosen by the caller, so a retried request finds its
-- transfer instead of moving money twice. `seq` orders history.
-- post_pending / void_pending / expire_pending rows resolve the pending
-- transfer named by `pending_id` and repeat its two accounts; `amount` is the
-- amount posted, or the amount released by a void or an expiry.
--
-- No foreign keys to ledger_accounts: a foreign-key check takes a KEY SHARE
-- lock on the referenced row, and the platform accounts are referenced by every
-- request — one row shared by all writers is the contention this design
-- avoids. The ledger checks that both accounts exist before inserting, accounts
-- are never deleted (trigger above), and reconciliation verifies it.
CREATE TABLE ledger_transfers (
  id                 text PRIMARY KEY CHECK (id ~ '^[ -~]{1,200}$'),
  seq                bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  kind               text NOT NULL CHECK (kind IN ('posted', 'pending', 'post_pending', 'void_pending',
                                                   'expire_pending')),
  debit_account_id   text NOT NULL,
  credit_account_id  text NOT NULL,
  amount             numeric(38,0) NOT NULL CHECK (amount > 0),
  pending_id         text REFERENCES ledger_transfers (id),
  code               text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
  request_id         text CHECK (request_id ~ '^[ -~]{1,128}$'),
  metadata           jsonb CHECK (jsonb_typeof(metadata) = 'object'),
  timeout_seconds    integer CHECK (timeout_seconds > 0),
  expires_at         timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((kind IN ('post_pending', 'void_pending', 'expire_pending')) = (pending_id IS NOT NULL)),
  CHECK ((kind = 'pending') = (expires_at IS NOT NULL)),
  CHECK (kind = 'pending' OR timeout_seconds IS NULL)
);

-- A pending transfer is resolved (posted, voided or expired) at most once,
-- whatever the concurrency: the database refuses a second resolving row.
CREATE UNIQUE INDEX ledger_transfers_resolves_pending_once ON ledger_transfers (pending_id)
  WHERE pending_id IS NOT NULL;
CREATE INDEX ledger_transfers_debit_account_idx ON ledger_transfers (debit_account_id, seq);
CREATE INDEX ledger_transfers_credit_account_idx ON ledger_transfers (credit_account_id, seq);
CREATE INDEX ledger_transfers_request_id_idx ON ledger_transfers (request_id) WHERE request_id IS NOT NULL;

CREATE FUNCTION ledger_transfers_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_transfers is immutable: correct a mistake with a new transfer';
END;
$$;
CREATE TRIGGER ledger_transfers_no_update_or_delete
  BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_transfers_immutable();
CREATE TRIGGER ledger_transfers_no_truncate
  BEFORE TRUNCATE ON ledger_transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfers_immutable();

-- The pending transfers not yet resolved, with their expiry. Resolving one
-- starts by deleting its row here: the DELETE is the claim, so of two
-- resolvers racing for the same hold exactly one gets the row (the other waits
-- for it, then finds nothing), and the expiry sweeper reads only live holds.
CREATE TABLE ledger_open_holds (
  pending_id  text PRIMARY KEY REFERENCES ledger_transfers (id),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX ledger_open_holds_expires_at_idx ON ledger_open_holds (expires_at);

-- Balance changes not yet folded into ledger_accounts: every change to a
-- platform account, and credits to developer accounts. Writing a row here
-- instead of updating the account row keeps requests from queueing on the
-- shared rows; a worker folds them in batches, deleting what it adds in the
-- same transaction. Signed: a resolved hold lowers the pending columns.
CREATE TABLE ledger_balance_deltas (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id       text NOT NULL,
  debits_posted    numeric(38,0) NOT NULL CHECK (debits_posted >= 0),
  credits_posted   numeric(38,0) NOT NULL CHECK (credits_posted >= 0),
  debits_pending   numeric(38,0) NOT NULL,
  credits_pending  numeric(38,0) NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_balance_deltas_account_id_idx ON ledger_balance_deltas (account_id);

-- The platform's own accounts, one of each.
INSERT INTO ledger_accounts (id, kind) VALUES
  ('platform:revenue', 'platform_revenue'),
  ('platform:provider_cost', 'provider_cost'),
  ('platform:usage_clearing', 'usage_clearing'),
  ('platform:external_funding', 'external_funding'),
  ('platform:payouts_clearing', 'payouts_clearing'),
  ('platform:receivable', 'receivable');
