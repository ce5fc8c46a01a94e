-- Marks for a rebuild every year (of $2, or any) with current values of the indicators whose
-- rules changed (`catalog sync`). A year already marked keeps its mark, widened: NULL, every
-- indicator, wins.
-- The next rollup takes the marked years even with no load pending (rollup_plan.sql).
-- Each year of the period catalogue is probed for one value through the cell index of its own
-- partition, instead of reading every value for its year (0.43 s for 2,000,000 values; 3 ms).
-- $1: the indicators (text[]), or NULL for every indicator; $2: the years (int[]), or NULL for
-- every year.
INSERT INTO core.rollup_rebuild (year, indicator_codes)
SELECT y.year, $1::text[]
FROM (SELECT DISTINCT year FROM core.period) y
WHERE ($2::int[] IS NULL OR y.year = ANY($2::int[]))
  AND EXISTS (
    SELECT 1 FROM core.current_value c
    WHERE c.indicator_code = ANY(COALESCE($1::text[], ARRAY(SELECT code FROM core.indicator)))
      AND c.period_code >= y.year::text AND c.period_code < (y.year + 1)::text
  )
ON CONFLICT (year) DO UPDATE SET
  marked_at = now(),
  indicator_codes = CASE
    WHEN core.rollup_rebuild.indicator_codes IS NULL OR EXCLUDED.indicator_codes IS NULL THEN NULL
    ELSE ARRAY(SELECT DISTINCT code FROM unnest(core.rollup_rebuild.indicator_codes || EXCLUDED.indicator_codes) AS code ORDER BY code)
  END
RETURNING year::int AS year;
