-- Figures dstats derives, kept incrementally: a load marks (submission, year) pending, the rollup of
-- the year derives longer periods from the submission's cells, recomputes their ancestors and the
-- comparable series.

CREATE TABLE core.aggregate_value (
  unit_key         integer NOT NULL,
  indicator_code   text NOT NULL,
  period_code      text NOT NULL,
  series           text NOT NULL,
  value            numeric NOT NULL,
  status           text NOT NULL,      -- the weakest status among the values summed
  reporting_units  integer NOT NULL,
  expected_units   integer NOT NULL,
  computed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_key, indicator_code, period_code, series)
);
CREATE INDEX aggregate_value_cell_idx ON core.aggregate_value (indicator_code, period_code, series);

-- Loaded submissions whose cells of a year still need their derived figures recomputed. One row per
-- submission and year (not per cell: a million-row file adds 25 rows here, not a million).
-- Claimed (deleted) in the same transaction as the rollup.
CREATE TABLE core.rollup_pending (
  year           smallint NOT NULL,
  submission_id  bigint NOT NULL,
  PRIMARY KEY (year, submission_id)
);

-- Values derived across periods (months → quarter → half → year, and year-to-date) from a unit's
-- own reported values, where the longer period was not reported.
CREATE TABLE core.derived_value (
  unit_key        integer NOT NULL,
  indicator_code  text NOT NULL,
  period_code     text NOT NULL,
  series          text NOT NULL,
  value           numeric NOT NULL,
  status          text NOT NULL,       -- the weakest status among the parts used
  parts           smallint NOT NULL,   -- how many shorter periods it was derived from
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_key, indicator_code, period_code, series)
);
CREATE INDEX derived_value_cell_idx ON core.derived_value (indicator_code, period_code, series);

-- A comparable series for the units created by a reorganisation (2025-07-01), for the periods
-- before it: each new unit gets the values of the old units that went into it, whole (full) or by
-- allocation shares (partial). See mart.fact_comparable.
CREATE TABLE core.comparable_value (
  unit_key        integer NOT NULL,   -- the new unit
  indicator_code  text NOT NULL,
  period_code     text NOT NULL,
  series          text NOT NULL,
  value           numeric NOT NULL,
  status          text NOT NULL,
  old_units       integer NOT NULL,   -- old units that contributed
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_key, indicator_code, period_code, series)
);

-- When the mart was last brought current for a year (rollups are coalesced per year: a year's
-- periods depend on each other).
CREATE TABLE core.publication (
  year           smallint PRIMARY KEY,
  published_at   timestamptz NOT NULL DEFAULT now()
);

-- Scheduled runs: one row per slot, claimed by exactly one scheduler replica.
CREATE TABLE core.scheduled_run (
  schedule     text NOT NULL,          -- e.g. nightly
  slot         timestamptz NOT NULL,   -- the scheduled instant
  claimed_by   text NOT NULL,          -- host:pid of the replica that ran it
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  files        integer,
  PRIMARY KEY (schedule, slot)
);
