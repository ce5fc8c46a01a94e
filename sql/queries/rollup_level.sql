-- Recompute the targeted ancestors of one level (their children are in rollup_child) from their
-- children's values: the child's reported value, else one derived from its shorter periods, else
-- its own rollup.
WITH children AS (
  SELECT parent_key, indicator_code, series, period_code, child_key FROM rollup_child
),
child_values AS (
  SELECT ch.parent_key, ch.indicator_code, ch.series, ch.period_code, i.aggregation,
         COALESCE(cv.value, dv.value, av.value) AS value,
         -- a child's own figure is one yes/no for count_true; its rollup is already a count
         av.value IS NULL OR cv.value IS NOT NULL OR dv.value IS NOT NULL AS own_value,
         CASE COALESCE(cv.status, dv.status, av.status) WHEN 'official' THEN 3 WHEN 'preliminary' THEN 2 WHEN 'estimate' THEN 1 END AS status_rank,
         COALESCE(wcv.value, wdv.value, wav.value) AS weight
  FROM children ch
  JOIN core.indicator i ON i.code = ch.indicator_code
  LEFT JOIN core.current_value cv
    ON cv.unit_key = ch.child_key AND cv.indicator_code = ch.indicator_code AND cv.period_code = ch.period_code AND cv.series = ch.series
  LEFT JOIN core.derived_value dv
    ON dv.unit_key = ch.child_key AND dv.indicator_code = ch.indicator_code AND dv.period_code = ch.period_code AND dv.series = ch.series
  LEFT JOIN core.aggregate_value av
    ON av.unit_key = ch.child_key AND av.indicator_code = ch.indicator_code AND av.period_code = ch.period_code AND av.series = ch.series
  LEFT JOIN core.current_value wcv
    ON wcv.unit_key = ch.child_key AND wcv.indicator_code = i.weight_indicator AND wcv.period_code = ch.period_code AND wcv.series = ch.series
  LEFT JOIN core.derived_value wdv
    ON wdv.unit_key = ch.child_key AND wdv.indicator_code = i.weight_indicator AND wdv.period_code = ch.period_code AND wdv.series = ch.series
  LEFT JOIN core.aggregate_value wav
    ON wav.unit_key = ch.child_key AND wav.indicator_code = i.weight_indicator AND wav.period_code = ch.period_code AND wav.series = ch.series
),
computed AS (
  SELECT parent_key, indicator_code, series, period_code,
         CASE min(aggregation)
           WHEN 'sum' THEN sum(value)
           -- A reported child is one yes/no; a child's rollup is already a count.
           WHEN 'count_true' THEN sum(CASE WHEN own_value THEN (value <> 0)::int ELSE value END)
           -- Children without a weight cannot be weighed and are left out of the mean.
           WHEN 'weighted_mean' THEN trim_scale(sum(value * weight) / NULLIF(sum(weight) FILTER (WHERE value IS NOT NULL), 0))
         END AS value,
         min(status_rank) AS status_rank,
         count(value)::int AS reporting_units,
         count(*)::int AS expected_units
  FROM child_values
  GROUP BY parent_key, indicator_code, series, period_code
  HAVING count(value) > 0
)
INSERT INTO core.aggregate_value AS agg
  (unit_key, indicator_code, period_code, series, value, status, reporting_units, expected_units, computed_at)
SELECT parent_key, indicator_code, period_code, series, value,
       (ARRAY['estimate', 'preliminary', 'official'])[status_rank], reporting_units, expected_units, now()
FROM computed
WHERE value IS NOT NULL
ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
  SET value = EXCLUDED.value, status = EXCLUDED.status, reporting_units = EXCLUDED.reporting_units,
      expected_units = EXCLUDED.expected_units, computed_at = EXCLUDED.computed_at;
