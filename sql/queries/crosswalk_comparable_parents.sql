-- The new parents (the new province) of the comparable cells just written: the sum of all their
-- new children's comparable values.
-- $1, $2: the years rolled up, as period-code bounds ('2023', '2025' for 2023-2024): only
-- their partitions are read.
WITH touched AS (
  SELECT DISTINCT n.parent_key AS unit_key, c.indicator_code, c.period_code, c.series
  FROM comparable_changed c
  JOIN core.unit n ON n.unit_key = c.unit_key
  WHERE n.parent_key IS NOT NULL
)
INSERT INTO core.comparable_value AS cmp (unit_key, indicator_code, period_code, series, value, status, old_units, computed_at)
SELECT t.unit_key, t.indicator_code, t.period_code, t.series, sum(cv.value),
       core.status_of_rank(min(core.status_rank(cv.status))),
       sum(cv.old_units)::int, now()
FROM touched t
JOIN core.unit child ON child.parent_key = t.unit_key
JOIN core.comparable_value cv
  ON cv.unit_key = child.unit_key AND cv.indicator_code = t.indicator_code AND cv.period_code = t.period_code AND cv.series = t.series
  AND cv.period_code >= $1 AND cv.period_code < $2
GROUP BY t.unit_key, t.indicator_code, t.period_code, t.series
ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
  SET value = EXCLUDED.value, status = EXCLUDED.status, old_units = EXCLUDED.old_units, computed_at = EXCLUDED.computed_at
  -- As in rollup_level.sql, a value computed again as it was is not written again.
  WHERE (cmp.value, scale(cmp.value), cmp.status, cmp.old_units)
        IS DISTINCT FROM (EXCLUDED.value, scale(EXCLUDED.value), EXCLUDED.status, EXCLUDED.old_units);
