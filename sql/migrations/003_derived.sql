-- Figures dstats derives, kept incrementally: a load marks the cells it changed (rollup_dirty), the
-- rollup of their year derives longer periods, recomputes the ancestors and the comparable series.

CREATE TABLE core.aggregate_value (
  unit_key         integer NOT NULL REFERENCES core.unit (unit_key),
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

-- Cells whose ancestors need recomputing. Claimed (deleted) in the same transaction as the rollup.
CREATE TABLE core.rollup_dirty (
  unit_key        integer NOT NULL,
  indicator_code  text NOT NULL,
  period_code     text NOT NULL,
  series          text NOT NULL,
  PRIMARY KEY (period_code, unit_key, indicator_code, series)
);

-- Values derived across periods (months → quarter → half → year, and year-to-date) from a unit's
-- own reported values, where the longer period was not reported.
CREATE TABLE core.derived_value (
  unit_key        integer NOT NULL REFERENCES core.unit (unit_key),
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
  unit_key        integer NOT NULL REFERENCES core.unit (unit_key),   -- the new unit
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
  published_at   timestamptz NOT NULL DEFAULT now(),
  cells          integer NOT NULL
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
