-- Recompute the targeted ancestors of one level (their children are in rollup_child) from their
-- children's values: the child's reported value, else one derived from its shorter periods, else
-- its own rollup (core.cell_value: one row per cell across the three value tables).
--
-- Two branches: most indicators have no weight, and only the weighted means (weight_indicator set)
-- look their weights up, so a bulk rollup hash-joins the values once per branch and a small one
-- probes the indexes. Each child row carries only what the aggregates need: its term of the sum
-- (the value; for count_true a reported or derived child's yes/no as 1 or 0, a child's rollup
-- being already a count; for a weighted mean value × weight) and the weight it was weighed by.
-- A child's own weighted mean weighs what its children's weights that entered it sum to
-- (aggregate_value.weight), not its whole weight: the mean one level up is then the mean of the
-- grandchildren themselves, however they are grouped.
--
-- $1, $2: the years rolled up, as period-code bounds ('2023', '2025' for 2023-2024): only
-- their partitions are read.
WITH child_values AS (
  SELECT ch.parent_key, ch.indicator_code, ch.series, ch.period_code, ch.aggregation, v.value,
         CASE WHEN ch.aggregation = 'count_true' AND v.derivation <> 'units' THEN (v.value <> 0)::int
              ELSE v.value END AS term,
         NULL::numeric AS weight,
         core.status_rank(v.status) AS status_rank
  FROM rollup_child ch
  LEFT JOIN core.cell_value v
    ON v.unit_key = ch.child_key AND v.indicator_code = ch.indicator_code AND v.period_code = ch.period_code AND v.series = ch.series
    AND v.period_code >= $1 AND v.period_code < $2
  WHERE ch.weight_indicator IS NULL
  UNION ALL
  -- Children without a weight cannot be weighed: their term and weight are NULL, left out of the
  -- mean and of the count of children that reported.
  SELECT ch.parent_key, ch.indicator_code, ch.series, ch.period_code, ch.aggregation, v.value,
         v.value * weighed.by, CASE WHEN v.value IS NOT NULL THEN weighed.by END,
         core.status_rank(v.status)
  FROM rollup_child ch
  LEFT JOIN core.cell_value v
    ON v.unit_key = ch.child_key AND v.indicator_code = ch.indicator_code AND v.period_code = ch.period_code AND v.series = ch.series
    AND v.period_code >= $1 AND v.period_code < $2
  LEFT JOIN core.cell_value w
    ON w.unit_key = ch.child_key AND w.indicator_code = ch.weight_indicator AND w.period_code = ch.period_code AND w.series = ch.series
    AND w.period_code >= $1 AND w.period_code < $2
  CROSS JOIN LATERAL (SELECT CASE WHEN v.derivation = 'units' THEN v.weight ELSE w.value END AS by) weighed
  WHERE ch.weight_indicator IS NOT NULL
),
computed AS (
  SELECT parent_key, indicator_code, series, period_code,
         CASE min(aggregation)
           WHEN 'sum' THEN sum(term)
           WHEN 'count_true' THEN sum(term)
           WHEN 'weighted_mean' THEN trim_scale(sum(term) / NULLIF(sum(weight), 0))
         END AS value,
         CASE min(aggregation) WHEN 'weighted_mean' THEN sum(weight) END AS weight,
         min(status_rank) AS status_rank,
         count(term)::int AS reporting_units,
         count(*)::int AS expected_units
  FROM child_values
  GROUP BY parent_key, indicator_code, series, period_code
  HAVING count(value) > 0
)
INSERT INTO core.aggregate_value AS agg
  (unit_key, indicator_code, period_code, series, value, status, reporting_units, expected_units, computed_at, weight)
SELECT parent_key, indicator_code, period_code, series, value,
       core.status_of_rank(status_rank), reporting_units, expected_units, now(), weight
FROM computed c
WHERE value IS NOT NULL
  -- A parent's reported value, or one derived from its own periods, wins over its rollup: none is written.
  AND NOT EXISTS (
    SELECT 1 FROM core.current_value cv
    WHERE cv.unit_key = c.parent_key AND cv.indicator_code = c.indicator_code AND cv.period_code = c.period_code
      AND cv.series = c.series AND cv.period_code >= $1 AND cv.period_code < $2)
  AND NOT EXISTS (
    SELECT 1 FROM core.derived_value dv
    WHERE dv.unit_key = c.parent_key AND dv.indicator_code = c.indicator_code AND dv.period_code = c.period_code
      AND dv.series = c.series AND dv.period_code >= $1 AND dv.period_code < $2)
ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
  SET value = EXCLUDED.value, status = EXCLUDED.status, reporting_units = EXCLUDED.reporting_units,
      expected_units = EXCLUDED.expected_units, computed_at = EXCLUDED.computed_at, weight = EXCLUDED.weight
  -- A value computed again as it was (a re-sent file, a full rollup) is not written again: the
  -- new row version would cost an index entry per key and double the pages the next pass reads.
  -- computed_at (the mart's updated_at) stays the time the value last changed.
  WHERE (agg.value, scale(agg.value), agg.status, agg.reporting_units, agg.expected_units, agg.weight)
        IS DISTINCT FROM (EXCLUDED.value, scale(EXCLUDED.value), EXCLUDED.status, EXCLUDED.reporting_units, EXCLUDED.expected_units, EXCLUDED.weight);
