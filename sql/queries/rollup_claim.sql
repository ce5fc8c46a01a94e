-- Claim the dirty cells of one year (in the rollup's transaction: a crash puts them back).
-- $1 year
WITH claimed AS (
  DELETE FROM core.rollup_dirty d
  USING core.period p
  WHERE p.code = d.period_code AND p.year = $1
  RETURNING d.unit_key, d.indicator_code, d.period_code, d.series
)
INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
SELECT unit_key, indicator_code, period_code, series FROM claimed;
