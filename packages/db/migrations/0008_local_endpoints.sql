-- Local model endpoints an end user registered for the Local Bridge. Metadata
-- only: the cloud never connects to them (hard rule 3), it only needs to know
-- that a user has local models so a `local`-first feature can point the
-- caller at the Bridge. `base_url` is what the user typed (often loopback);
-- it is stored for the user's own reference and never dialled. One row per
-- (end user, name): registering the same name again replaces it.
CREATE TABLE local_endpoints (
  id           text PRIMARY KEY CHECK (id ~ '^lep_[A-Za-z0-9_]{1,64}$'),
  end_user_id  text NOT NULL REFERENCES end_users (id),
  app_id       text NOT NULL REFERENCES apps (id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  runtime      text NOT NULL CHECK (runtime IN ('ollama', 'vllm', 'lm_studio', 'llama_cpp', 'other')),
  models       text[] NOT NULL CHECK (cardinality(models) BETWEEN 1 AND 100),
  base_url     text CHECK (length(base_url) BETWEEN 1 AND 2048),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (end_user_id, name)
);
