-- The cells the claimed loads wrote in one year, read from that year's observation partition.
-- $1, $2: the year's bounds as period codes ('2024', '2025').
INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
SELECT DISTINCT o.unit_key, o.indicator_code, o.period_code, o.series
FROM rollup_claimed c
JOIN core.observation o ON o.submission_id = c.submission_id
WHERE c.year::text = $1 AND o.period_code >= $1 AND o.period_code < $2;
