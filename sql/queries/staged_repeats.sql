-- The lines that repeat a cell (unit, indicator, period, series) already sent on an earlier line of
-- the same file, with that first line. A sort of every staged row (1.9 s for 1,000,000), so it
-- runs only for a file that may repeat one (src/normalise/repeated-cells.ts). Same columns as
-- staged_problems.sql. $1 submission id; $2, $3 its years as period-code bounds.
WITH staged AS (
  SELECT s.row_no, s.source_column, s.raw_value, s.indicator_code, s.unit_key, s.period_code,
         min(s.row_no) OVER (PARTITION BY s.unit_key, s.indicator_code, s.period_code, s.series) AS first_row
  FROM core.staged_value s
  WHERE s.submission_id = $1 AND s.period_code >= $2 AND s.period_code < $3
)
SELECT r.row_no, r.source_column, r.raw_value, 'DUPLICATE_VALUE' AS code, r.first_row::text AS detail_a,
       NULL::text AS detail_b, r.indicator_code, u.code AS unit_code, r.period_code
FROM staged r JOIN core.unit u ON u.unit_key = r.unit_key
WHERE r.row_no > r.first_row
ORDER BY r.row_no;
