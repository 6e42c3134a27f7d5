-- Developer-key budgets are enforced by the ledger: each developer key with a
-- budget has a constrained account (`developer:<key id>:budget`) funded from
-- platform:external_funding, and every request over the key holds its most
-- possible upstream cost there (apps/gateway/src/routing/README.md).
-- budget_funded_units is how much of budget_limit_units that account has been
-- funded with so far (net of reductions); budget_version numbers the funding
-- transfers (`budget:<key id>:<version>`), so a retried change moves nothing
-- twice. Both change only together with the funding transfer, in one
-- transaction that holds the key row.
ALTER TABLE developer_provider_keys
  ADD COLUMN budget_funded_units numeric(38,0) NOT NULL DEFAULT 0 CHECK (budget_funded_units >= 0),
  ADD COLUMN budget_version integer NOT NULL DEFAULT 0 CHECK (budget_version >= 0);
