-- A weighted mean one level up must weigh each child by the weight behind the child's own mean,
-- not by the child's whole weight: a city whose rate comes from 5,000 of its 10,000 households
-- stands for 5,000 in the province's rate. Otherwise the province's rate would depend on how its
-- wards are grouped (1.5 % of 4,000 and 3 % of 1,000 households in one city, 5 % of 10,000 in
-- another, 5,000 households without a rate: 3.4 % instead of the wards' own 3.93 %).
ALTER TABLE core.aggregate_value ADD COLUMN weight numeric;
COMMENT ON COLUMN core.aggregate_value.weight IS
  'For a weighted mean: the sum of the weights of the children whose values entered it (what it weighs one level up); NULL for other aggregations.';

-- Years taken out of the live database (docs/operations.md) get the column too, so that they can
-- be attached again.
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c
           WHERE c.relnamespace = 'core'::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
             AND c.relname ~ '^aggregate_value_y\d+$'
  LOOP
    EXECUTE format('ALTER TABLE core.%I ADD COLUMN IF NOT EXISTS weight numeric', t);
  END LOOP;
END
$$;

-- Columns are only added at the end of a view.
CREATE OR REPLACE VIEW core.cell_value AS
SELECT unit_key, indicator_code, period_code, series, value, status, 'reported'::text AS derivation, NULL::numeric AS weight
FROM core.current_value
UNION ALL
SELECT unit_key, indicator_code, period_code, series, value, status, 'periods'::text, NULL::numeric
FROM core.derived_value
UNION ALL
SELECT unit_key, indicator_code, period_code, series, value, status, 'units'::text, weight
FROM core.aggregate_value;

-- Marks `years` for a rebuild of `codes` (NULL: every indicator) by their next rollup pass; a
-- year already marked keeps its mark, widened (NULL wins). Returns the years marked. Used by
-- `catalog sync` (rollup_mark_rebuild.sql) and by migrations that change how figures are made.
CREATE FUNCTION core.mark_for_rebuild(years integer[], codes text[]) RETURNS SETOF integer
LANGUAGE sql AS $$
  INSERT INTO core.rollup_rebuild (year, indicator_codes)
  SELECT DISTINCT y, codes FROM unnest(years) AS y
  ON CONFLICT (year) DO UPDATE SET
    marked_at = now(),
    indicator_codes = CASE
      WHEN core.rollup_rebuild.indicator_codes IS NULL OR EXCLUDED.indicator_codes IS NULL THEN NULL
      ELSE ARRAY(SELECT DISTINCT code FROM unnest(core.rollup_rebuild.indicator_codes || EXCLUDED.indicator_codes) AS code ORDER BY code)
    END
  RETURNING year::int
$$;
-- As every dstats function: executable by dstats only.
REVOKE EXECUTE ON FUNCTION core.mark_for_rebuild(integer[], text[]) FROM PUBLIC;

-- The weighted means rolled up before this migration have no weight yet: their years are
-- rebuilt by the next rollup (as after a change of their rules in `catalog sync`).
SELECT core.mark_for_rebuild(
  ARRAY(SELECT DISTINCT left(a.period_code, 4)::int FROM core.aggregate_value a
        JOIN core.indicator i ON i.code = a.indicator_code AND i.aggregation = 'weighted_mean'),
  ARRAY(SELECT code FROM core.indicator WHERE aggregation = 'weighted_mean' ORDER BY code));

-- A child with a rate but no weight is left out of a weighted mean, and now out of its count too.
COMMENT ON COLUMN mart.fact_value.reporting_units IS
  'For a rollup of units: how many child units had a value that entered it (for a weighted mean, a value and a weight).';
