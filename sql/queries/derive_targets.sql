-- The longer periods of the same year that contain a changed cell, for the same unit: they may now
-- be derivable (or derive differently).
INSERT INTO derive_target (unit_key, indicator_code, series, period_code)
SELECT DISTINCT c.unit_key, c.indicator_code, c.series, t.code
FROM rollup_changed c
JOIN core.indicator i ON i.code = c.indicator_code AND i.period_aggregation <> 'none'
JOIN core.period p ON p.code = c.period_code
JOIN core.period t
  ON t.year = p.year AND t.type <> 'month' AND t.code <> p.code
 AND t.start_date <= p.start_date AND t.end_date >= p.end_date;
