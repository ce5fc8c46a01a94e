-- Recompute the comparable series of the new units in comparable_target (crosswalk_targets.sql
-- filled it and crosswalk_share): each is the sum of its old units' values times their shares.
-- Writes only the values that changed (as in rollup_level.sql), and every recomputed cell to
-- comparable_changed, whose parents are summed again either way (as in derive_periods.sql).
-- Returns both counts.
-- $1, $2: the years rolled up, as period-code bounds ('2023', '2025' for 2023-2024): only
-- their partitions are read.
WITH old_values AS (
  -- Every old unit of each targeted new unit, changed or not.
  SELECT a.indicator_code, a.series, a.period_code, a.new_key, s.share,
         COALESCE(cv.value, dv.value) AS value,
         core.status_rank(COALESCE(cv.status, dv.status)) AS status_rank
  FROM comparable_target a
  JOIN crosswalk_share s ON s.new_key = a.new_key AND s.effective_date > a.end_date
  JOIN core.unit o ON o.code = s.old_code AND o.valid_from <= a.end_date AND (o.valid_to IS NULL OR o.valid_to >= a.end_date)
  LEFT JOIN core.current_value cv ON cv.unit_key = o.unit_key AND cv.indicator_code = a.indicator_code AND cv.period_code = a.period_code AND cv.series = a.series
    AND cv.period_code >= $1 AND cv.period_code < $2
  LEFT JOIN core.derived_value dv ON dv.unit_key = o.unit_key AND dv.indicator_code = a.indicator_code AND dv.period_code = a.period_code AND dv.series = a.series
    AND dv.period_code >= $1 AND dv.period_code < $2
),
computed AS (
  SELECT new_key AS unit_key, indicator_code, period_code, series, trim_scale(sum(value * share)) AS value,
         core.status_of_rank(min(status_rank)) AS status, count(value)::int AS old_units
  FROM old_values
  GROUP BY new_key, indicator_code, period_code, series
  HAVING count(value) > 0
),
written AS (
  INSERT INTO core.comparable_value AS cmp (unit_key, indicator_code, period_code, series, value, status, old_units, computed_at)
  SELECT unit_key, indicator_code, period_code, series, value, status, old_units, now()
  FROM computed
  ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
    SET value = EXCLUDED.value, status = EXCLUDED.status, old_units = EXCLUDED.old_units, computed_at = EXCLUDED.computed_at
    -- As in rollup_level.sql, a value computed again as it was is not written again.
    WHERE (cmp.value, scale(cmp.value), cmp.status, cmp.old_units)
          IS DISTINCT FROM (EXCLUDED.value, scale(EXCLUDED.value), EXCLUDED.status, EXCLUDED.old_units)
  RETURNING 1
),
recomputed AS (
  INSERT INTO comparable_changed (unit_key, indicator_code, period_code, series)
  SELECT unit_key, indicator_code, period_code, series FROM computed
  RETURNING 1
)
SELECT (SELECT count(*) FROM recomputed)::int AS recomputed, (SELECT count(*) FROM written)::int AS written;
