-- Issue 15: what a request's lookup (GET /v1/generation/:request_id) and
-- the privacy policy record on its usage event.
-- latency_ms: from the request's arrival at the Gateway to its settlement
--   (a stream's: its end), ms; NULL for events recorded before this
--   migration and for local calls, whose time the cloud never sees.
-- redacted_items: how many personal items (emails, phone numbers, card
--   numbers, IBANs, IP addresses, the developer's own patterns) were
--   replaced by placeholders before the upstream call — a count, never the
--   items themselves.
ALTER TABLE usage_events
  ADD COLUMN latency_ms integer,
  ADD COLUMN redacted_items integer NOT NULL DEFAULT 0;

-- Both columns are new (NULL and 0 on every existing row), so NOT VALID
-- skips a scan of the whole table under its lock; every row written from
-- now on is checked.
ALTER TABLE usage_events
  ADD CONSTRAINT usage_events_latency_ms_check CHECK (latency_ms >= 0) NOT VALID,
  ADD CONSTRAINT usage_events_redacted_items_check CHECK (redacted_items >= 0) NOT VALID;
