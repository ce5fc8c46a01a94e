-- Every cell the claimed loads wrote in their claimed years: the changed cells of the pass, read
-- through the per-partition submission index of those years' observation partitions.
-- $1, $2: the pass's years, as period-code bounds ('2023', '2025' for 2023-2024).
INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
SELECT DISTINCT o.unit_key, o.indicator_code, o.period_code, o.series
FROM rollup_claimed c
JOIN core.observation o ON o.submission_id = c.submission_id AND left(o.period_code, 4) = c.year::text
WHERE o.period_code >= $1 AND o.period_code < $2;
