-- Takes the comparable_stale marks of one pass's years (in the pass's transaction: a crash puts
-- them back) and adds the marked old units' cells of `sum` indicators (the only ones with a
-- comparable series) of periods before their split to the pass's changed cells, so that
-- crosswalk_targets.sql computes their new units' series again with today's shares. Their
-- ancestors are computed again too and, unchanged, not written. Returns the years claimed and
-- the cells added.
-- $1, $2: the years, as bounds (2023, 2025 for 2023-2024).
WITH claimed AS (
  DELETE FROM core.comparable_stale
  WHERE year >= $1::smallint AND year < $2::smallint
  RETURNING year, old_code, effective_date
),
added AS (
  INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
  SELECT cv.unit_key, cv.indicator_code, cv.period_code, cv.series
  FROM claimed m
  JOIN core.unit o ON o.code = m.old_code AND o.valid_from < m.effective_date
  JOIN core.current_value cv ON cv.unit_key = o.unit_key
   AND cv.period_code >= m.year::text AND cv.period_code < (m.year + 1)::text
  JOIN core.period p ON p.code = cv.period_code AND p.end_date < m.effective_date
  JOIN core.indicator i ON i.code = cv.indicator_code AND i.aggregation = 'sum'
  RETURNING 1
)
SELECT ARRAY(SELECT DISTINCT year::int FROM claimed ORDER BY 1) AS years, (SELECT count(*) FROM added)::int AS cells;
