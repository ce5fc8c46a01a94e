-- Recompute the comparable series of the new units whose old units changed, for periods that ended
-- before a reorganisation. Only the new units an old changed unit went into are touched. Shares of
-- a partially split old unit sum to exactly 1 (the last successor takes the remainder), so old and
-- new totals agree to the last digit. Writes the touched cells to comparable_changed.
WITH cells AS (
  SELECT DISTINCT c.unit_key, c.indicator_code, c.series, c.period_code, p.end_date
  FROM rollup_changed c
  JOIN core.indicator i ON i.code = c.indicator_code AND i.aggregation = 'sum'
  JOIN core.period p ON p.code = c.period_code
  WHERE EXISTS (SELECT 1 FROM core.unit_crosswalk w WHERE w.effective_date > p.end_date)
),
new_units AS (
  SELECT w.old_code, w.new_code, w.kind, w.weight, w.effective_date, n.unit_key AS new_key
  FROM core.unit_crosswalk w
  JOIN core.unit n ON n.code = w.new_code AND n.valid_from = w.effective_date
),
population AS (
  -- The latest population each new unit reported after it was created (read from the reported
  -- values only: a lookup per new unit instead of a pass over every population figure).
  SELECT DISTINCT ON (c.unit_key) c.unit_key, c.value
  FROM core.current_value c
  JOIN core.period p ON p.code = c.period_code
  WHERE c.unit_key IN (SELECT new_key FROM new_units) AND c.indicator_code = 'POPULATION' AND c.series = 'actual'
  ORDER BY c.unit_key, p.end_date DESC
),
weighted AS (
  SELECT nu.*,
         CASE WHEN nu.kind = 'full' THEN 1::numeric
              WHEN nu.weight IS NOT NULL THEN nu.weight
              WHEN bool_and(pop.value IS NOT NULL) OVER successors AND sum(pop.value) OVER successors > 0 THEN pop.value
              ELSE 1::numeric END AS raw_weight,
         row_number() OVER (PARTITION BY nu.old_code, nu.kind ORDER BY nu.new_code DESC) AS from_last
  FROM new_units nu
  LEFT JOIN population pop ON pop.unit_key = nu.new_key
  WINDOW successors AS (PARTITION BY nu.old_code, nu.kind)
),
shares AS (
  SELECT w.*,
         CASE WHEN w.kind = 'full' THEN 1::numeric
              WHEN w.from_last = 1 THEN 1 - COALESCE(sum(w.raw_weight / NULLIF(t.total, 0)) OVER (PARTITION BY w.old_code ORDER BY w.new_code ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
              ELSE w.raw_weight / NULLIF(t.total, 0) END AS share
  FROM weighted w
  JOIN (SELECT old_code, sum(raw_weight) AS total FROM weighted GROUP BY old_code) t ON t.old_code = w.old_code
),
affected AS (
  -- The new units a changed old unit went into, per changed cell.
  SELECT DISTINCT c.indicator_code, c.series, c.period_code, c.end_date, s.new_key
  FROM cells c
  JOIN core.unit o ON o.unit_key = c.unit_key
  JOIN shares s ON s.old_code = o.code AND s.effective_date > c.end_date
),
old_values AS (
  -- Every old unit of each affected new unit, changed or not.
  SELECT a.indicator_code, a.series, a.period_code, a.new_key, s.share,
         COALESCE(cv.value, dv.value) AS value,
         CASE COALESCE(cv.status, dv.status) WHEN 'official' THEN 3 WHEN 'preliminary' THEN 2 WHEN 'estimate' THEN 1 END AS status_rank
  FROM affected a
  JOIN shares s ON s.new_key = a.new_key AND s.effective_date > a.end_date
  JOIN core.unit o ON o.code = s.old_code AND o.valid_from <= a.end_date AND (o.valid_to IS NULL OR o.valid_to >= a.end_date)
  LEFT JOIN core.current_value cv ON cv.unit_key = o.unit_key AND cv.indicator_code = a.indicator_code AND cv.period_code = a.period_code AND cv.series = a.series
  LEFT JOIN core.derived_value dv ON dv.unit_key = o.unit_key AND dv.indicator_code = a.indicator_code AND dv.period_code = a.period_code AND dv.series = a.series
),
written AS (
  INSERT INTO core.comparable_value AS cmp (unit_key, indicator_code, period_code, series, value, status, old_units, computed_at)
  SELECT new_key, indicator_code, period_code, series, trim_scale(sum(value * share)),
         (ARRAY['estimate', 'preliminary', 'official'])[min(status_rank)], count(value)::int, now()
  FROM old_values
  GROUP BY new_key, indicator_code, period_code, series
  HAVING count(value) > 0
  ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
    SET value = EXCLUDED.value, status = EXCLUDED.status, old_units = EXCLUDED.old_units, computed_at = EXCLUDED.computed_at
  RETURNING unit_key, indicator_code, period_code, series
)
INSERT INTO comparable_changed (unit_key, indicator_code, period_code, series)
SELECT unit_key, indicator_code, period_code, series FROM written;
