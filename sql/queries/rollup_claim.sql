-- Claim the dirty cells of one period and list the ancestors to recompute.
-- Runs in the rollup's transaction: a crash puts the claimed cells back.
-- $1 period code
WITH claimed AS (
  DELETE FROM core.rollup_dirty WHERE period_code = $1
  RETURNING unit_key, indicator_code, series
),
affected AS (
  SELECT unit_key, indicator_code, series FROM claimed
  UNION
  -- A weighted mean moves when its weight moves.
  SELECT c.unit_key, i.code, c.series
  FROM claimed c JOIN core.indicator i ON i.weight_indicator = c.indicator_code
)
INSERT INTO rollup_target (unit_key, indicator_code, series, level)
SELECT DISTINCT ua.ancestor_key, a.indicator_code, a.series, u.level
FROM affected a
JOIN core.indicator i ON i.code = a.indicator_code AND i.aggregation <> 'none'
JOIN core.unit_ancestor ua ON ua.unit_key = a.unit_key AND ua.depth > 0
JOIN core.unit u ON u.unit_key = ua.ancestor_key;
