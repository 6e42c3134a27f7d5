-- Ledger fast path, batched: many holds, or many settlements, in ONE
-- statement and one commit. The Gateway sends concurrent requests' holds and
-- settlements together (packages/ledger/src/fast-path-queue.ts), so under load
-- the database runs one statement and one commit for a group of requests, not
-- two per request. One request at a time still goes through the one-item
-- functions of migration 0005.
--
-- Same contract as those: the same rows as createTransfers would write, for
-- the common case only. ledger_create_holds leaves out (returns no row for) a
-- hold it does not take, without writing anything for it; the caller decides
-- that hold on the general path. ledger_resolve_holds is all or nothing: any
-- case it does not take raises MF001 and the whole statement rolls back, the
-- callers' writes sent with it included, and each settlement is then decided
-- on its own. A unique violation (an id that exists) rolls back the same way.
--
-- Locks: every batch locks the constrained account rows it debits in id order
-- before writing, so two batches never wait for each other in a cycle.
--
-- Plans: the planner cannot see how many elements an array parameter holds,
-- and on small tables it prefers hashing a whole table to a few index lookups;
-- a batch is always a few dozen rows looked up by key, so both functions
-- turn sequential scans, hash and merge joins off for their own statements.

-- Holds whose debit is a constrained account (end user, developer) with the
-- funds available, and whose credit exists and is not an end user. At most one
-- hold per debit account per call (raises MF001 otherwise): the overdraft check
-- of each runs under its own row.
CREATE FUNCTION ledger_create_holds(
  p_ids text[], p_debit_account_ids text[], p_credit_account_ids text[], p_amounts numeric[], p_codes text[],
  p_request_ids text[], p_metadata_list jsonb, p_timeout_seconds integer[], p_expires_at timestamptz[]
) RETURNS SETOF ledger_transfers LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  IF (SELECT count(DISTINCT d) FROM unnest(p_debit_account_ids) AS d) <> cardinality(p_debit_account_ids) THEN
    RAISE EXCEPTION 'ledger fast path declined: two holds on one account in a batch' USING ERRCODE = 'MF001';
  END IF;
  PERFORM 1 FROM ledger_accounts
  WHERE id = ANY (p_debit_account_ids) AND kind IN ('end_user', 'developer')
  ORDER BY id FOR UPDATE;

  RETURN QUERY
  WITH debited AS (
    UPDATE ledger_accounts a SET debits_pending = a.debits_pending + s.amount
    FROM unnest(p_ids, p_debit_account_ids, p_credit_account_ids, p_amounts, p_codes, p_request_ids,
                p_timeout_seconds, p_expires_at)
           WITH ORDINALITY AS s(id, debit_id, credit_id, amount, code, request_id, timeout_seconds, expires_at, ord)
    JOIN ledger_accounts c ON c.id = s.credit_id AND c.kind <> 'end_user'
    WHERE a.id = s.debit_id AND a.kind IN ('end_user', 'developer')
      AND a.debits_posted + a.debits_pending + s.amount <= a.credits_posted
    RETURNING s.*
  ), credited AS (
    INSERT INTO ledger_balance_deltas (account_id, debits_posted, credits_posted, debits_pending, credits_pending)
    SELECT credit_id, 0, 0, 0, amount FROM debited
  ), opened AS (
    INSERT INTO ledger_open_holds (pending_id, expires_at) SELECT id, expires_at FROM debited
  )
  INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, code, request_id, metadata,
                                timeout_seconds, expires_at)
  SELECT id, 'pending', debit_id, credit_id, amount, code, request_id,
         CASE WHEN jsonb_typeof(p_metadata_list -> (ord::integer - 1)) = 'object'
              THEN p_metadata_list -> (ord::integer - 1) END,
         timeout_seconds, expires_at
  FROM debited ORDER BY ord
  RETURNING *;
END;
$$;

-- Resolves the open holds p_pending_ids (post_pending: posts p_amounts[i], or
-- the whole hold when null; void_pending: releases it) and creates the posted
-- transfers given as parallel arrays p_posted_*, each naming its resolution by
-- position in p_posted_of (1-based). As ledger_resolve_hold, for each: posted
-- transfers only between accounts whose changes are deferred. Returns the
-- inserted transfers, each resolution followed by its posted transfers.
CREATE FUNCTION ledger_resolve_holds(
  p_ids text[], p_kinds text[], p_pending_ids text[], p_amounts numeric[], p_codes text[], p_request_ids text[],
  p_metadata_list jsonb,
  p_posted_of integer[], p_posted_ids text[], p_posted_debit_account_ids text[], p_posted_credit_account_ids text[],
  p_posted_amounts numeric[], p_posted_codes text[], p_posted_request_ids text[], p_posted_metadata_list jsonb
) RETURNS SETOF ledger_transfers LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
  v_rows integer;
  -- Each resolution's hold, read once, in the order given.
  v_debits text[];
  v_credits text[];
  v_held numeric[];
  v_posted numeric[];
  v_debit_now boolean[];
  v_hold_codes text[];
  v_hold_request_ids text[];
BEGIN
  -- The claim, as in ledger_resolve_hold: every hold of the batch, or none.
  DELETE FROM ledger_open_holds WHERE pending_id = ANY (p_pending_ids);
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  IF v_rows <> cardinality(p_ids) THEN
    RAISE EXCEPTION 'ledger fast path declined: a hold of the batch is not open' USING ERRCODE = 'MF001';
  END IF;

  SELECT array_agg(t.debit_account_id ORDER BY r.ord), array_agg(t.credit_account_id ORDER BY r.ord),
         array_agg(t.amount ORDER BY r.ord),
         array_agg(CASE r.kind WHEN 'post_pending' THEN coalesce(r.amount, t.amount) ELSE 0 END ORDER BY r.ord),
         array_agg(d.kind IN ('end_user', 'developer') ORDER BY r.ord),
         array_agg(t.code ORDER BY r.ord), array_agg(t.request_id ORDER BY r.ord), count(*)
  INTO v_debits, v_credits, v_held, v_posted, v_debit_now, v_hold_codes, v_hold_request_ids, v_rows
  FROM unnest(p_kinds, p_pending_ids, p_amounts) WITH ORDINALITY AS r(kind, pending_id, amount, ord)
  JOIN ledger_transfers t ON t.id = r.pending_id
  JOIN ledger_accounts d ON d.id = t.debit_account_id
  JOIN ledger_accounts c ON c.id = t.credit_account_id
  WHERE r.kind IN ('post_pending', 'void_pending') AND t.kind = 'pending' AND c.kind <> 'end_user'
    AND coalesce(r.amount, t.amount) <= t.amount;
  IF v_rows <> cardinality(p_ids)
     OR EXISTS (SELECT 1 FROM unnest(p_posted_debit_account_ids, p_posted_credit_account_ids) AS s(debit_id, credit_id)
                LEFT JOIN ledger_accounts d ON d.id = s.debit_id
                LEFT JOIN ledger_accounts c ON c.id = s.credit_id
                WHERE d.kind IS NULL OR c.kind IS NULL OR d.kind IN ('end_user', 'developer') OR c.kind = 'end_user')
     OR EXISTS (SELECT 1 FROM unnest(p_posted_of) AS i WHERE i IS NULL OR i NOT BETWEEN 1 AND cardinality(p_ids))
  THEN
    RAISE EXCEPTION 'ledger fast path declined: a resolution of the batch needs the batch path'
      USING ERRCODE = 'MF001';
  END IF;

  PERFORM 1 FROM ledger_accounts
  WHERE id IN (SELECT a FROM unnest(v_debits, v_debit_now) AS x(a, now) WHERE now)
  ORDER BY id FOR UPDATE;
  -- Resolving never raises debits, so the check cannot fail; kept as the batch path keeps it.
  UPDATE ledger_accounts a
  SET debits_posted = a.debits_posted + x.posted, debits_pending = a.debits_pending - x.held
  FROM (SELECT debit_id, sum(posted) AS posted, sum(held) AS held
        FROM unnest(v_debits, v_posted, v_held, v_debit_now) AS r(debit_id, posted, held, debit_now)
        WHERE debit_now GROUP BY debit_id) AS x
  WHERE a.id = x.debit_id AND a.debits_posted + a.debits_pending + x.posted - x.held <= a.credits_posted;

  INSERT INTO ledger_balance_deltas (account_id, debits_posted, credits_posted, debits_pending, credits_pending)
  SELECT account_id, sum(debits_posted), sum(credits_posted), sum(debits_pending), sum(credits_pending)
  FROM (
    SELECT r.debit_id, r.posted, 0::numeric, -r.held, 0::numeric
    FROM unnest(v_debits, v_posted, v_held, v_debit_now) AS r(debit_id, posted, held, debit_now) WHERE NOT r.debit_now
    UNION ALL SELECT r.credit_id, 0, r.posted, 0, -r.held
    FROM unnest(v_credits, v_posted, v_held) AS r(credit_id, posted, held)
    UNION ALL SELECT s.debit_id, s.amount, 0, 0, 0
    FROM unnest(p_posted_debit_account_ids, p_posted_amounts) AS s(debit_id, amount)
    UNION ALL SELECT s.credit_id, 0, s.amount, 0, 0
    FROM unnest(p_posted_credit_account_ids, p_posted_amounts) AS s(credit_id, amount)
  ) AS e(account_id, debits_posted, credits_posted, debits_pending, credits_pending)
  GROUP BY account_id
  HAVING sum(debits_posted) <> 0 OR sum(credits_posted) <> 0 OR sum(debits_pending) <> 0 OR sum(credits_pending) <> 0;

  -- (position of the resolution; 0 for itself, else the posted transfer's position) orders `seq`.
  RETURN QUERY
  INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, pending_id, code, request_id,
                                metadata)
  SELECT id, kind, debit_id, credit_id, amount, pending_id, code, request_id, metadata
  FROM (
    SELECT r.ord, 0::bigint, r.id, r.kind, r.debit_id, r.credit_id,
           CASE r.kind WHEN 'post_pending' THEN r.posted ELSE r.held END, r.pending_id,
           coalesce(r.code, r.hold_code), coalesce(r.request_id, r.hold_request_id),
           CASE WHEN jsonb_typeof(p_metadata_list -> (r.ord::integer - 1)) = 'object'
                THEN p_metadata_list -> (r.ord::integer - 1) END
    FROM unnest(p_ids, p_kinds, p_pending_ids, v_debits, v_credits, v_posted, v_held, p_codes, v_hold_codes,
                p_request_ids, v_hold_request_ids)
           WITH ORDINALITY AS r(id, kind, pending_id, debit_id, credit_id, posted, held, code, hold_code, request_id,
                                hold_request_id, ord)
    UNION ALL
    SELECT s.item, s.sub, s.id, 'posted', s.debit_id, s.credit_id, s.amount, NULL, s.code, s.request_id,
           CASE WHEN jsonb_typeof(p_posted_metadata_list -> (s.sub::integer - 1)) = 'object'
                THEN p_posted_metadata_list -> (s.sub::integer - 1) END
    FROM unnest(p_posted_of, p_posted_ids, p_posted_debit_account_ids, p_posted_credit_account_ids, p_posted_amounts,
                p_posted_codes, p_posted_request_ids)
           WITH ORDINALITY AS s(item, id, debit_id, credit_id, amount, code, request_id, sub)
  ) AS w(ord, sub, id, kind, debit_id, credit_id, amount, pending_id, code, request_id, metadata)
  ORDER BY w.ord, w.sub
  RETURNING *;
END;
$$;
