-- Rollups across units, kept incrementally: a load marks cells dirty, the rollup stage recomputes
-- the ancestors of dirty cells only.

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

-- When the mart was last brought current for a period.
CREATE TABLE core.publication (
  period_code    text PRIMARY KEY,
  published_at   timestamptz NOT NULL DEFAULT now(),
  cells          integer NOT NULL
);
