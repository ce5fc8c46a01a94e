-- Marks for a rebuild every year with current values of the indicators whose rules changed
-- (`catalog sync`). A year already marked keeps its mark, widened: NULL, every indicator, wins.
-- The next rollup takes the marked years even with no load pending (rollup_plan.sql).
-- $1: the indicators (text[]), or NULL for every indicator.
INSERT INTO core.rollup_rebuild (year, indicator_codes)
SELECT DISTINCT p.year, $1::text[]
FROM core.current_value c
JOIN core.period p ON p.code = c.period_code
WHERE $1::text[] IS NULL OR c.indicator_code = ANY($1::text[])
ON CONFLICT (year) DO UPDATE SET
  marked_at = now(),
  indicator_codes = CASE
    WHEN core.rollup_rebuild.indicator_codes IS NULL OR EXCLUDED.indicator_codes IS NULL THEN NULL
    ELSE ARRAY(SELECT DISTINCT code FROM unnest(core.rollup_rebuild.indicator_codes || EXCLUDED.indicator_codes) AS code ORDER BY code)
  END
RETURNING year::int AS year;
