-- A rebuild scoped to the indicators whose rules changed. Until now any change of the catalogue's
-- rules, even a new indicator that has no values yet, rebuilt every computed value of every year.
-- Now a change of one indicator's aggregation, period aggregation or weight rebuilds that
-- indicator (and those it weights); a change of the hierarchy or the crosswalk, which every
-- indicator's rollup follows, still rebuilds them all (NULL).
ALTER TABLE core.rollup_rebuild ADD COLUMN indicator_codes text[];

COMMENT ON COLUMN core.rollup_rebuild.indicator_codes IS
  'The indicators whose computed values the year''s next rollup computes again from scratch; NULL: every indicator.';

-- A year marked before this migration keeps NULL: it is rebuilt whole, as 017 meant.
