-- The cells the claimed loads wrote in a run of consecutive claimed years.
-- $1, $2: the years rolled up, as period-code bounds ('2023', '2025' for 2023-2024): only
-- their partitions are read.
INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
SELECT DISTINCT o.unit_key, o.indicator_code, o.period_code, o.series
FROM rollup_claimed c
JOIN core.observation o ON o.submission_id = c.submission_id AND left(o.period_code, 4) = c.year::text
WHERE c.year::text >= $1 AND c.year::text < $2 AND o.period_code >= $1 AND o.period_code < $2;
