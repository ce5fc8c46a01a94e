-- The ancestors to recompute: every ancestor of a changed cell, for its period (and the weighted
-- means that use a changed cell as their weight). Duplicates are removed once, by the final
-- DISTINCT (a UNION here would sort every changed cell once more).
WITH affected AS (
  SELECT unit_key, indicator_code, series, period_code FROM rollup_changed
  UNION ALL
  SELECT c.unit_key, i.code, c.series, c.period_code
  FROM rollup_changed c JOIN core.indicator i ON i.weight_indicator = c.indicator_code
)
INSERT INTO rollup_target (unit_key, indicator_code, series, period_code, level)
SELECT DISTINCT ua.ancestor_key, a.indicator_code, a.series, a.period_code, u.level
FROM affected a
JOIN core.indicator i ON i.code = a.indicator_code AND i.aggregation <> 'none'
JOIN core.unit_ancestor ua ON ua.unit_key = a.unit_key AND ua.depth > 0
JOIN core.unit u ON u.unit_key = ua.ancestor_key;
