-- Ledger fast path: a usage hold and its settlement, each as ONE statement
-- (one round trip, one implicit transaction) instead of BEGIN, a read, two or
-- three writes and COMMIT. Only packages/ledger calls these functions
-- (create-hold.ts, resolve-hold.ts); its src/index.ts documents the design.
--
-- They write exactly what createTransfers would write for the same input —
-- the same transfer rows, open-hold rows, immediate row updates and deferred
-- deltas — but only for the common case. Anything else (an account missing, an
-- overdraft, a hold already resolved, an id that exists, a shape that would
-- update two account rows) is DECLINED and the caller runs the general batch
-- path, which decides the exact result. Declining never leaves a write behind:
-- ledger_create_hold declines before writing (it returns no row), and
-- ledger_resolve_hold raises SQLSTATE MF001, rolling back the whole statement,
-- including a caller's write sent with it (its usage event). A unique
-- violation on an id (a retry, or a concurrent copy that committed first)
-- rolls back the same way and is handled like a decline by the caller.

-- A pending transfer (a hold) whose debit is a constrained account (end user,
-- developer: checked and written under the row) or a platform account, and
-- whose credit is not an end user (its credit would be a second row to update
-- at once). Returns the inserted transfer, or no row when declined.
CREATE FUNCTION ledger_create_hold(
  p_id text, p_debit_account_id text, p_credit_account_id text, p_amount numeric, p_code text,
  p_request_id text, p_metadata jsonb, p_timeout_seconds integer, p_expires_at timestamptz
) RETURNS SETOF ledger_transfers LANGUAGE plpgsql AS $$
DECLARE
  v_debit_kind text;
  v_credit_kind text;
  v_transfer ledger_transfers;
BEGIN
  SELECT kind INTO v_debit_kind FROM ledger_accounts WHERE id = p_debit_account_id;
  SELECT kind INTO v_credit_kind FROM ledger_accounts WHERE id = p_credit_account_id;
  IF v_debit_kind IS NULL OR v_credit_kind IS NULL OR v_credit_kind = 'end_user' THEN
    RETURN;
  END IF;

  IF v_debit_kind IN ('end_user', 'developer') THEN
    -- The overdraft check and the write are one atomic row update.
    UPDATE ledger_accounts SET debits_pending = debits_pending + p_amount
    WHERE id = p_debit_account_id AND debits_posted + debits_pending + p_amount <= credits_posted;
    IF NOT FOUND THEN
      RETURN;
    END IF;
  ELSE
    INSERT INTO ledger_balance_deltas (account_id, debits_posted, credits_posted, debits_pending, credits_pending)
    VALUES (p_debit_account_id, 0, 0, p_amount, 0);
  END IF;
  INSERT INTO ledger_balance_deltas (account_id, debits_posted, credits_posted, debits_pending, credits_pending)
  VALUES (p_credit_account_id, 0, 0, 0, p_amount);

  INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, code, request_id, metadata,
                                timeout_seconds, expires_at)
  VALUES (p_id, 'pending', p_debit_account_id, p_credit_account_id, p_amount, p_code, p_request_id, p_metadata,
          p_timeout_seconds, p_expires_at)
  RETURNING * INTO v_transfer;
  INSERT INTO ledger_open_holds (pending_id, expires_at) VALUES (p_id, p_expires_at);
  RETURN NEXT v_transfer;
END;
$$;

-- Resolves the open hold p_pending_id (p_kind post_pending: posts p_amount, or
-- the whole hold when null; void_pending: releases it) and creates the posted
-- transfers given as parallel arrays, e.g. the split of a settlement. Every
-- posted transfer must move money between accounts whose changes are deferred
-- (no constrained debit, no end-user credit). Returns the inserted transfers in
-- the order given, the resolution first; raises MF001 when declined.
CREATE FUNCTION ledger_resolve_hold(
  p_id text, p_kind text, p_pending_id text, p_amount numeric, p_code text, p_request_id text, p_metadata jsonb,
  p_ids text[], p_debit_account_ids text[], p_credit_account_ids text[], p_amounts numeric[], p_codes text[],
  p_request_ids text[], p_metadata_list jsonb
) RETURNS SETOF ledger_transfers LANGUAGE plpgsql AS $$
DECLARE
  v_pending ledger_transfers;
  v_posted numeric;
  v_debit_kind text;
  v_credit_kind text;
  v_debit_now boolean;
  v_transfer ledger_transfers;
BEGIN
  IF p_kind NOT IN ('post_pending', 'void_pending') THEN
    RAISE EXCEPTION 'ledger_resolve_hold: kind % is not a resolution', p_kind;
  END IF;
  -- The claim: of two resolvers, the second waits for the first, then deletes nothing.
  DELETE FROM ledger_open_holds WHERE pending_id = p_pending_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ledger fast path declined: hold % is not open', p_pending_id USING ERRCODE = 'MF001';
  END IF;
  SELECT * INTO v_pending FROM ledger_transfers WHERE id = p_pending_id;
  v_posted := CASE p_kind WHEN 'post_pending' THEN coalesce(p_amount, v_pending.amount) ELSE 0 END;
  SELECT kind INTO v_debit_kind FROM ledger_accounts WHERE id = v_pending.debit_account_id;
  SELECT kind INTO v_credit_kind FROM ledger_accounts WHERE id = v_pending.credit_account_id;
  IF v_pending.kind IS DISTINCT FROM 'pending' OR v_posted > v_pending.amount
     OR v_debit_kind IS NULL OR v_credit_kind IS NULL OR v_credit_kind = 'end_user'
     OR EXISTS (SELECT 1 FROM unnest(p_debit_account_ids, p_credit_account_ids) AS s(debit_id, credit_id)
                LEFT JOIN ledger_accounts d ON d.id = s.debit_id
                LEFT JOIN ledger_accounts c ON c.id = s.credit_id
                WHERE d.kind IS NULL OR c.kind IS NULL OR d.kind IN ('end_user', 'developer') OR c.kind = 'end_user')
  THEN
    RAISE EXCEPTION 'ledger fast path declined: resolution of % needs the batch path', p_pending_id
      USING ERRCODE = 'MF001';
  END IF;

  v_debit_now := v_debit_kind IN ('end_user', 'developer');
  IF v_debit_now THEN
    -- Never raises debits, so it cannot overdraw; checked anyway, as the batch path does.
    UPDATE ledger_accounts
    SET debits_posted = debits_posted + v_posted, debits_pending = debits_pending - v_pending.amount
    WHERE id = v_pending.debit_account_id
      AND debits_posted + debits_pending + v_posted - v_pending.amount <= credits_posted;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ledger fast path declined: % is overdrawn', v_pending.debit_account_id USING ERRCODE = 'MF001';
    END IF;
  END IF;

  -- One delta row per account, as the batch path writes them; accounts whose changes cancel out get none.
  INSERT INTO ledger_balance_deltas (account_id, debits_posted, credits_posted, debits_pending, credits_pending)
  SELECT account_id, sum(debits_posted), sum(credits_posted), sum(debits_pending), sum(credits_pending)
  FROM (
    SELECT v_pending.debit_account_id, v_posted, 0::numeric, -v_pending.amount, 0::numeric WHERE NOT v_debit_now
    UNION ALL SELECT v_pending.credit_account_id, 0, v_posted, 0, -v_pending.amount
    UNION ALL SELECT s.debit_id, s.amount, 0, 0, 0 FROM unnest(p_debit_account_ids, p_amounts) AS s(debit_id, amount)
    UNION ALL SELECT s.credit_id, 0, s.amount, 0, 0 FROM unnest(p_credit_account_ids, p_amounts) AS s(credit_id, amount)
  ) AS e(account_id, debits_posted, credits_posted, debits_pending, credits_pending)
  GROUP BY account_id
  HAVING sum(debits_posted) <> 0 OR sum(credits_posted) <> 0 OR sum(debits_pending) <> 0 OR sum(credits_pending) <> 0;

  INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, pending_id, code, request_id,
                                metadata)
  VALUES (p_id, p_kind, v_pending.debit_account_id, v_pending.credit_account_id,
          CASE p_kind WHEN 'post_pending' THEN v_posted ELSE v_pending.amount END, p_pending_id,
          coalesce(p_code, v_pending.code), coalesce(p_request_id, v_pending.request_id), p_metadata)
  RETURNING * INTO v_transfer;
  RETURN NEXT v_transfer;

  -- `ord` keeps the given order in `seq`, so history lists a settlement as it was written.
  RETURN QUERY
  INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, code, request_id, metadata)
  SELECT s.id, 'posted', s.debit_id, s.credit_id, s.amount, s.code, s.request_id,
         CASE WHEN jsonb_typeof(p_metadata_list -> (s.ord::integer - 1)) = 'object'
              THEN p_metadata_list -> (s.ord::integer - 1) END
  FROM unnest(p_ids, p_debit_account_ids, p_credit_account_ids, p_amounts, p_codes, p_request_ids)
         WITH ORDINALITY AS s(id, debit_id, credit_id, amount, code, request_id, ord)
  ORDER BY s.ord
  RETURNING *;
END;
$$;
