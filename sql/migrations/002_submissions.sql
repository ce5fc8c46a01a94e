-- Submissions (one per file that reached intake), staged rows, observations and current values.

CREATE TABLE core.submission (
  submission_id   bigserial PRIMARY KEY,
  source_id       text NOT NULL,
  file_name       text NOT NULL,
  sha256          text NOT NULL,
  size_bytes      bigint NOT NULL,
  state           text NOT NULL CHECK (state IN ('received', 'staged', 'loaded', 'rejected', 'duplicate')),
  stored_path     text NOT NULL,        -- where the file is now (work/, archive/ or rejected/)
  duplicate_of    bigint REFERENCES core.submission (submission_id),
  received_at     timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  rows_read       integer,
  values_staged   integer,
  values_loaded   integer,
  problem_count   integer NOT NULL DEFAULT 0,
  first_problem   text,
  number_convention text,
  form_id         text,                 -- NULL: long format
  periods         text[] NOT NULL DEFAULT '{}',  -- periods it had values for, known even when rejected
  -- When the source dropped the file (its modification time, never later than intake), as opposed
  -- to when dstats took it in: a file dropped on time and taken in by the next nightly run is on time.
  submitted_at    timestamptz,
  warnings        jsonb NOT NULL DEFAULT '[]'
);
-- The same bytes from the same source load once: only one live submission per hash.
CREATE UNIQUE INDEX submission_live_hash_idx ON core.submission (source_id, sha256)
  WHERE state IN ('received', 'staged', 'loaded');
CREATE INDEX submission_state_idx ON core.submission (state);

-- Rows of a submission between normalise and load. Unlogged: it is rebuilt from the file if lost.
CREATE UNLOGGED TABLE core.staged_value (
  submission_id   bigint NOT NULL,
  row_no          integer NOT NULL,     -- line in the source file (header is line 1)
  source_column   text,                 -- column header in a wide table
  unit_key        integer NOT NULL,
  indicator_code  text NOT NULL,
  period_code     text NOT NULL,
  series          text NOT NULL,
  status          text NOT NULL,
  raw_value       text NOT NULL,
  value_vi        numeric,              -- the value read with the Vietnamese convention (1.348,9)
  value_en        numeric,              -- the value read with the English convention (1,348.9)
  factor          numeric NOT NULL,     -- unit-of-measure conversion to the indicator's canonical unit
  note            text
);
CREATE INDEX staged_value_submission_idx ON core.staged_value (submission_id);

-- Every value ever loaded; never updated, so history stays queryable. No foreign keys on this and
-- the value tables: normalise checks every code against the catalogue, and per-row key checks
-- would double the cost of a load.
CREATE TABLE core.observation (
  observation_id  bigserial PRIMARY KEY,
  submission_id   bigint NOT NULL,
  row_no          integer NOT NULL,
  unit_key        integer NOT NULL,
  indicator_code  text NOT NULL,
  period_code     text NOT NULL,
  series          text NOT NULL CHECK (series IN ('actual', 'plan_province', 'plan_city')),
  status          text NOT NULL CHECK (status IN ('estimate', 'preliminary', 'official')),
  value           numeric NOT NULL,
  note            text,
  loaded_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX observation_submission_idx ON core.observation (submission_id);
CREATE INDEX observation_key_idx ON core.observation (unit_key, indicator_code, period_code, series);

-- The value in force for each cell, chosen by precedence (official > preliminary > estimate,
-- then the later submission).
CREATE TABLE core.current_value (
  unit_key        integer NOT NULL,
  indicator_code  text NOT NULL,
  period_code     text NOT NULL,
  series          text NOT NULL,
  value           numeric NOT NULL,
  status          text NOT NULL,
  status_rank     smallint NOT NULL,
  observation_id  bigint NOT NULL,
  submission_id   bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_key, indicator_code, period_code, series)
);
CREATE INDEX current_value_cell_idx ON core.current_value (indicator_code, period_code, series);
