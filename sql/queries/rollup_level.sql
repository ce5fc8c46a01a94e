-- Recompute the targeted ancestors of one level (their children are in rollup_child) from their
-- children's values: the child's reported value, else one derived from its shorter periods, else
-- its own rollup.
--
-- Two branches: most indicators have no weight, and only the weighted means (weight_indicator set)
-- look their weights up, so a bulk rollup hash-joins each value table once per branch and a small
-- one probes the indexes. Each child row carries only what the aggregates need: its term of the
-- sum (the value; for count_true a reported child's yes/no as 1 or 0, a child's rollup being
-- already a count; for a weighted mean value × weight) and the weight it was weighed by.
--
-- $1, $2: the years rolled up, as period-code bounds ('2023', '2025' for 2023-2024): only
-- their partitions are read.
WITH child_values AS (
  SELECT ch.parent_key, ch.indicator_code, ch.series, ch.period_code, ch.aggregation,
         COALESCE(cv.value, dv.value, av.value) AS value,
         CASE WHEN ch.aggregation = 'count_true' AND (av.value IS NULL OR cv.value IS NOT NULL OR dv.value IS NOT NULL)
              THEN (COALESCE(cv.value, dv.value, av.value) <> 0)::int
              ELSE COALESCE(cv.value, dv.value, av.value) END AS term,
         NULL::numeric AS weight,
         core.status_rank(COALESCE(cv.status, dv.status, av.status)) AS status_rank
  FROM rollup_child ch
  LEFT JOIN core.current_value cv
    ON cv.unit_key = ch.child_key AND cv.indicator_code = ch.indicator_code AND cv.period_code = ch.period_code AND cv.series = ch.series
    AND cv.period_code >= $1 AND cv.period_code < $2
  LEFT JOIN core.derived_value dv
    ON dv.unit_key = ch.child_key AND dv.indicator_code = ch.indicator_code AND dv.period_code = ch.period_code AND dv.series = ch.series
    AND dv.period_code >= $1 AND dv.period_code < $2
  LEFT JOIN core.aggregate_value av
    ON av.unit_key = ch.child_key AND av.indicator_code = ch.indicator_code AND av.period_code = ch.period_code AND av.series = ch.series
    AND av.period_code >= $1 AND av.period_code < $2
  WHERE ch.weight_indicator IS NULL
  UNION ALL
  -- Children without a weight cannot be weighed: their term and weight are NULL, left out of the mean.
  SELECT parent_key, indicator_code, series, period_code, aggregation, value,
         value * weight, CASE WHEN value IS NOT NULL THEN weight END, status_rank
  FROM (
    SELECT ch.parent_key, ch.indicator_code, ch.series, ch.period_code, ch.aggregation,
           COALESCE(cv.value, dv.value, av.value) AS value,
           COALESCE(wcv.value, wdv.value, wav.value) AS weight,
           core.status_rank(COALESCE(cv.status, dv.status, av.status)) AS status_rank
    FROM rollup_child ch
    LEFT JOIN core.current_value cv
      ON cv.unit_key = ch.child_key AND cv.indicator_code = ch.indicator_code AND cv.period_code = ch.period_code AND cv.series = ch.series
      AND cv.period_code >= $1 AND cv.period_code < $2
    LEFT JOIN core.derived_value dv
      ON dv.unit_key = ch.child_key AND dv.indicator_code = ch.indicator_code AND dv.period_code = ch.period_code AND dv.series = ch.series
      AND dv.period_code >= $1 AND dv.period_code < $2
    LEFT JOIN core.aggregate_value av
      ON av.unit_key = ch.child_key AND av.indicator_code = ch.indicator_code AND av.period_code = ch.period_code AND av.series = ch.series
      AND av.period_code >= $1 AND av.period_code < $2
    LEFT JOIN core.current_value wcv
      ON wcv.unit_key = ch.child_key AND wcv.indicator_code = ch.weight_indicator AND wcv.period_code = ch.period_code AND wcv.series = ch.series
      AND wcv.period_code >= $1 AND wcv.period_code < $2
    LEFT JOIN core.derived_value wdv
      ON wdv.unit_key = ch.child_key AND wdv.indicator_code = ch.weight_indicator AND wdv.period_code = ch.period_code AND wdv.series = ch.series
      AND wdv.period_code >= $1 AND wdv.period_code < $2
    LEFT JOIN core.aggregate_value wav
      ON wav.unit_key = ch.child_key AND wav.indicator_code = ch.weight_indicator AND wav.period_code = ch.period_code AND wav.series = ch.series
      AND wav.period_code >= $1 AND wav.period_code < $2
    WHERE ch.weight_indicator IS NOT NULL
  ) weighted
),
computed AS (
  SELECT parent_key, indicator_code, series, period_code,
         CASE min(aggregation)
           WHEN 'sum' THEN sum(term)
           WHEN 'count_true' THEN sum(term)
           WHEN 'weighted_mean' THEN trim_scale(sum(term) / NULLIF(sum(weight), 0))
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
       core.status_of_rank(status_rank), reporting_units, expected_units, now()
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
      expected_units = EXCLUDED.expected_units, computed_at = EXCLUDED.computed_at;
