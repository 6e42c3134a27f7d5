-- An account's available balance (posted credits − posted debits − pending
-- debits, its deferred changes included), as getBalance computes it.
--
-- VOLATILE on purpose: a volatile function reads with a fresh snapshot, so
-- when the statement that resolves a hold (ledger_resolve_hold, …_holds)
-- calls it on the rows that function returned, it sees that resolution's
-- writes — the balance the settlement left, in the same statement and round
-- trip. A scalar subquery in that statement would see the balance from before
-- it. Null when there is no such account.
CREATE FUNCTION ledger_account_available(p_account_id text) RETURNS numeric LANGUAGE sql VOLATILE AS $$
  SELECT a.credits_posted - a.debits_posted - a.debits_pending
         + coalesce((SELECT sum(d.credits_posted - d.debits_posted - d.debits_pending)
                     FROM ledger_balance_deltas d WHERE d.account_id = a.id), 0)
  FROM ledger_accounts a WHERE a.id = p_account_id
$$;
