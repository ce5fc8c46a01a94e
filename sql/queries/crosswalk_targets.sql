-- The comparable cells to recompute: for each changed cell of a period that ended before a
-- reorganisation, the new units its old unit went into (comparable_target), and every old unit's
-- share of each new unit (crosswalk_share). Shares of a partially split old unit sum to exactly 1
-- (the last successor takes the remainder), so old and new totals agree to the last digit.
WITH cells AS (
  -- Periods that ended before the latest reorganisation (its date is looked up once, not per
  -- cell). Not made distinct here: the final SELECT DISTINCT does that once.
  SELECT c.unit_key, c.indicator_code, c.series, c.period_code, p.end_date
  FROM rollup_changed c
  JOIN core.indicator i ON i.code = c.indicator_code AND i.aggregation = 'sum'
  JOIN core.period p ON p.code = c.period_code
  WHERE p.end_date < (SELECT max(w.effective_date) FROM core.unit_crosswalk w)
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
kept_shares AS (
  INSERT INTO crosswalk_share (old_code, new_key, effective_date, share)
  SELECT old_code, new_key, effective_date, share FROM shares
)
INSERT INTO comparable_target (new_key, indicator_code, series, period_code, end_date)
SELECT DISTINCT s.new_key, c.indicator_code, c.series, c.period_code, c.end_date
FROM cells c
JOIN core.unit o ON o.unit_key = c.unit_key
JOIN shares s ON s.old_code = o.code AND s.effective_date > c.end_date;
