-- A partially split old unit is shared among its new units by their population (the latest each
-- reported). A new unit's population arrives in a period after the reorganisation, while the
-- comparable series it shares out are of periods before it: a rollup pass of the later year marks
-- here each earlier year with values of the old units concerned, and that year's next pass
-- computes their new units' comparable series again. Without it the series kept the shares of
-- whenever the old periods were rolled up, so the figures depended on the order of the loads.
CREATE TABLE core.comparable_stale (
  year            smallint NOT NULL,
  old_code        text NOT NULL,
  effective_date  date NOT NULL,   -- of the reorganisation that split old_code
  marked_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (year, old_code, effective_date)
);

COMMENT ON TABLE core.comparable_stale IS
  'Years whose comparable series of the new units of old_code must be computed again: the shares of old_code changed (a new population of one of its new units).';
