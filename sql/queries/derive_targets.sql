-- The longer periods that may now be derivable (or derive differently) for each unit, indicator,
-- series and year with a changed cell: those overlapping the changed months. Left out, because a
-- derivation there would never be used or cannot succeed:
-- * periods the unit reported itself (a reported value wins over a derived one);
-- * periods on whose last day none of the unit's reported periods ends: every derivation needs
--   its last part, and derived parts come from reported ones, so the chain ends in a reported
--   period ending that day (month 06 for 2024Q2, 2024S1 and 2024YTD06).
WITH changed AS (
  SELECT c.unit_key, c.indicator_code, c.series, p.year, min(p.start_date) AS first_day, max(p.end_date) AS last_day
  FROM rollup_changed c
  JOIN core.indicator i ON i.code = c.indicator_code AND i.period_aggregation <> 'none'
  JOIN core.period p ON p.code = c.period_code
  GROUP BY c.unit_key, c.indicator_code, c.series, p.year
),
reported AS (
  SELECT k.unit_key, k.indicator_code, k.series, e.code AS period_code, e.end_date
  FROM changed k
  JOIN core.period e ON e.year = k.year
  JOIN core.current_value cv
    ON cv.unit_key = k.unit_key AND cv.indicator_code = k.indicator_code AND cv.period_code = e.code AND cv.series = k.series
)
INSERT INTO derive_target (unit_key, indicator_code, series, period_code)
SELECT k.unit_key, k.indicator_code, k.series, t.code
FROM changed k
JOIN core.period t
  ON t.year = k.year AND t.type <> 'month' AND t.start_date <= k.last_day AND t.end_date >= k.first_day
WHERE NOT EXISTS (
    SELECT 1 FROM reported r
    WHERE r.unit_key = k.unit_key AND r.indicator_code = k.indicator_code AND r.series = k.series AND r.period_code = t.code)
  AND EXISTS (
    SELECT 1 FROM reported r
    WHERE r.unit_key = k.unit_key AND r.indicator_code = k.indicator_code AND r.series = k.series AND r.end_date = t.end_date);
