-- Problems only visible against the file's number convention, the catalogue or the years the
-- warehouse holds, found set-based after staging. Repeated cells are staged_repeats.sql, run only
-- when the file may repeat one (src/normalise/repeated-cells.ts).
-- $1 submission id; $2 the file's number convention ('vi' or 'en'), NULL when the file gives no clue;
-- $3, $4 the years of the file's periods, as period-code bounds: only their staging partitions
-- are planned and read (src/db/period-bounds.ts); $5 those years (integer[]).
-- One scan of the staged rows: for 1,000,000 rows 1.5 s, and for a 50-row ward file about 1 ms
-- to plan and run (a version that scanned the partitioned staging table three times took 3-4 ms).
-- A night has thousands of ward files.
WITH staged AS (
  SELECT s.row_no, s.source_column, s.raw_value, s.indicator_code, s.unit_key, s.period_code,
         s.value_vi, s.value_en,
         core.staged_number(s.value_vi, s.value_en, $2::text, s.factor) AS value
  FROM core.staged_value s
  WHERE s.submission_id = $1 AND s.period_code >= $3 AND s.period_code < $4
),
found AS (
  SELECT r.*, 'AMBIGUOUS_NUMBER' AS code, r.value_vi::text AS detail_a, r.value_en::text AS detail_b
  FROM staged r
  WHERE $2::text IS NULL AND r.value_vi IS NOT NULL AND r.value_en IS NOT NULL AND r.value_vi <> r.value_en
  UNION ALL
  SELECT r.*, 'NUMBER_CONVENTION_CONFLICT', CASE $2::text WHEN 'vi' THEN 'en' ELSE 'vi' END, $2::text
  FROM staged r
  WHERE $2::text IS NOT NULL AND r.value IS NULL
  UNION ALL
  SELECT r.*, 'OUT_OF_RANGE', i.min_value::text, i.max_value::text
  FROM staged r JOIN core.indicator i ON i.code = r.indicator_code
  WHERE r.value < i.min_value OR r.value > i.max_value
)
SELECT f.row_no, f.source_column, f.raw_value, f.code, f.detail_a, f.detail_b,
       f.indicator_code, u.code AS unit_code, f.period_code
FROM found f JOIN core.unit u ON u.unit_key = f.unit_key
UNION ALL
-- A year taken out of the warehouse concerns the whole file (migration 019); asked here, in the
-- statement every file runs anyway, rather than in a round trip of its own.
SELECT NULL, NULL, NULL, 'YEAR_ARCHIVED', array_to_string(archived.years, ', '), NULL, NULL, NULL, NULL
FROM (SELECT core.archived_years($5::integer[]) AS years) archived
WHERE cardinality(archived.years) > 0
ORDER BY row_no NULLS FIRST, code;
