-- Issue 15: what each catalog model can do, so `model_policy:
-- cheapest_sufficient` picks only models that can serve the request.
-- capabilities: a subset of
--   tools        function / tool calling;
--   json_schema  output held to a JSON schema (response_format / text.format);
--   vision       image inputs;
--   embeddings   an embedding model: it serves /v1/embeddings and nothing else.
-- There is no `chat` element: a model without `embeddings` is a chat model.
-- An empty array is a chat model that takes plain text only.
--
-- A constant default makes the new column a catalog change, not a rewrite.
ALTER TABLE models ADD COLUMN capabilities text[] NOT NULL DEFAULT '{}';

-- Existing rows keep serving what they served before. Embedding models were
-- told apart by name (an id containing "embed"); chat models were offered
-- tools and images on every route, and JSON schema output wherever the
-- adapter carries it — every adapter but Anthropic's, which refuses it. The
-- catalog holds tens to hundreds of rows, so one UPDATE is a short write; an
-- operator narrows a model afterwards with POST /v1/admin/models. Capabilities
-- are not prices: filling them on older rows changes no rated amount.
UPDATE models SET capabilities = CASE
  WHEN id ~* 'embed' THEN ARRAY['embeddings']
  WHEN provider = 'anthropic' THEN ARRAY['tools', 'vision']
  ELSE ARRAY['tools', 'json_schema', 'vision']
END;

-- NOT VALID: the UPDATE above wrote only allowed values, so no scan is
-- needed; every row written from now on is checked. `<@` is false for a
-- NULL element. (A CHECK cannot hold the subquery that would refuse a
-- repeated element; the store writes each one once, in a fixed order.)
ALTER TABLE models
  ADD CONSTRAINT models_capabilities_check CHECK (
    capabilities <@ ARRAY['tools', 'json_schema', 'vision', 'embeddings']::text[]
    AND cardinality(capabilities) <= 4
  ) NOT VALID;
