-- The longer periods that may now be derivable (or derive differently) for each unit, indicator,
-- series and year with a changed cell: those overlapping the changed months. Left out, because a
-- derivation there would never be used or cannot succeed:
-- * periods the unit reported itself (a reported value wins over a derived one);
-- * periods on whose last day none of the unit's reported periods ends: every derivation needs
--   its last part, and derived parts come from reported ones, so the chain ends in a reported
--   period ending that day (month 06 for 2024Q2, 2024S1 and 2024YTD06).
--
-- Both in one join and one grouping: each candidate period t is joined to the unit's reported
-- periods e ending on its last day (none: no row, nothing to derive), and dropped when one of
-- them is t itself. No anti-join over a derived relation: estimated at one row, the planner
-- would rescan it for every candidate (two minutes for 25,000 changed cells); here a
-- misestimate costs at most index probes. A period lies within its year, so the same last day
-- means the same year as t (no separate e.year condition, whose correlation with end_date the
-- planner cannot see).
--
-- $1, $2: the years rolled up, as period-code bounds ('2023', '2025' for 2023-2024): only
-- their partitions are read.
WITH changed AS (
  SELECT c.unit_key, c.indicator_code, c.series, p.year, min(p.start_date) AS first_day, max(p.end_date) AS last_day
  FROM rollup_changed c
  JOIN core.indicator i ON i.code = c.indicator_code AND i.period_aggregation <> 'none'
  JOIN core.period p ON p.code = c.period_code
  GROUP BY c.unit_key, c.indicator_code, c.series, p.year
)
INSERT INTO derive_target (unit_key, indicator_code, series, period_code)
SELECT k.unit_key, k.indicator_code, k.series, t.code
FROM changed k
JOIN core.period t
  ON t.year = k.year AND t.type <> 'month' AND t.start_date <= k.last_day AND t.end_date >= k.first_day
JOIN core.period e ON e.end_date = t.end_date
JOIN core.current_value cv
  ON cv.unit_key = k.unit_key AND cv.indicator_code = k.indicator_code AND cv.period_code = e.code AND cv.series = k.series
  AND cv.period_code >= $1 AND cv.period_code < $2
GROUP BY k.unit_key, k.indicator_code, k.series, t.code
HAVING NOT bool_or(e.code = t.code);
