-- Developer payouts: what the platform owes a developer, moved out in review.
-- Money itself moves only in the ledger; a payout row says why and where the
-- review stands. apps/api/src/payouts documents the flow.
--
--   run      → pending     a HOLD developer:<id> → platform:payouts_clearing
--                          for the developer's whole spendable balance
--   approve  → processing  an operator looked at it (note kept)
--   mark-paid → paid       the hold is posted, then payouts_clearing →
--                          external_funding: the money has left the platform
--   cancel   → cancelled   (from pending or processing) the hold is voided
--
-- The state machine is enforced HERE, not only in the API: the CHECKs below
-- allow only the four statuses and their timestamps, the trigger refuses any
-- other transition and any change to what was held, and the partial unique
-- index allows one open payout per developer. The API moves a payout with a
-- conditional UPDATE (`… WHERE status = 'processing'`), so of concurrent
-- requests exactly one wins the row; the others match nothing.
CREATE TABLE payouts (
  id                text PRIMARY KEY CHECK (id ~ '^po_[A-Za-z0-9_]{1,64}$'),
  developer_id      text NOT NULL REFERENCES developers (id),
  -- The run that created it (`prun_…`).
  run_id            text NOT NULL CHECK (run_id ~ '^prun_[A-Za-z0-9_]{1,64}$'),
  status            text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'processing', 'paid', 'cancelled')),
  -- Units of 1e-8 USD held for, and paid as, this payout.
  amount_units      numeric(38,0) NOT NULL CHECK (amount_units > 0),
  threshold_units   numeric(38,0) NOT NULL CHECK (threshold_units >= 0),
  -- The ledger's pending transfer (developer → payouts_clearing).
  hold_transfer_id  text NOT NULL UNIQUE,
  approval_note     text CHECK (length(approval_note) <= 500),
  cancel_reason     text CHECK (length(cancel_reason) <= 500),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  approved_at       timestamptz,
  paid_at           timestamptz,
  cancelled_at      timestamptz,
  CHECK ((status IN ('processing', 'paid')) <= (approved_at IS NOT NULL)),
  CHECK ((status = 'pending') <= (approved_at IS NULL)),
  CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX payouts_developer_idx ON payouts (developer_id, created_at DESC);
CREATE INDEX payouts_created_id_idx ON payouts (created_at, id);
CREATE UNIQUE INDEX payouts_one_open_per_developer ON payouts (developer_id)
  WHERE status IN ('pending', 'processing');

CREATE FUNCTION payouts_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payouts are never deleted; cancel instead' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id
     OR NEW.developer_id IS DISTINCT FROM OLD.developer_id
     OR NEW.run_id IS DISTINCT FROM OLD.run_id
     OR NEW.amount_units IS DISTINCT FROM OLD.amount_units
     OR NEW.threshold_units IS DISTINCT FROM OLD.threshold_units
     OR NEW.hold_transfer_id IS DISTINCT FROM OLD.hold_transfer_id
     OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'payout %: only its status and review fields may change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NOT ((OLD.status = 'pending' AND NEW.status IN ('processing', 'cancelled'))
       OR (OLD.status = 'processing' AND NEW.status IN ('paid', 'cancelled'))) THEN
    RAISE EXCEPTION 'payout %: illegal transition % -> %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER payouts_state_machine
  BEFORE UPDATE OR DELETE ON payouts
  FOR EACH ROW EXECUTE FUNCTION payouts_guard_transition();
