-- The claimed cells of the years of one pass.
-- $1, $2: the years rolled up, as period-code bounds ('2023', '2025' for 2023-2024).
INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
SELECT unit_key, indicator_code, period_code, series
FROM rollup_claimed_cell
WHERE period_code >= $1 AND period_code < $2;
