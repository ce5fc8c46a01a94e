-- Problems only visible across rows or against the catalogue, found set-based after staging, for a
-- file of BULK_ROWS values or more (src/db/bulk-settings.ts); staged_problems_small.sql finds the
-- same problems in smaller files.
-- $1 submission id; $2 the file's number convention ('vi' or 'en'), NULL when the file gives no clue.
-- Two narrow passes over the staged rows, not the small query's sort of every whole row
-- (1,000,000 rows: 3.0 s instead of 6.7 s): the row checks filter as they scan (valued is inlined,
-- never stored), and duplicates come from grouping the cells.
WITH valued AS NOT MATERIALIZED (
  SELECT s.*, i.min_value, i.max_value,
         CASE $2::text WHEN 'vi' THEN s.value_vi WHEN 'en' THEN s.value_en
              ELSE COALESCE(s.value_vi, s.value_en) END * s.factor AS value
  FROM core.staged_value s
  LEFT JOIN core.indicator i ON i.code = s.indicator_code
  WHERE s.submission_id = $1
),
flagged AS (
  SELECT * FROM valued v
  WHERE ($2::text IS NULL AND v.value_vi <> v.value_en)
     OR ($2::text IS NOT NULL AND v.value IS NULL)
     OR v.value < v.min_value OR v.value > v.max_value
),
duplicated AS (
  SELECT unit_key, indicator_code, period_code, series, min(row_no) AS first_row
  FROM core.staged_value
  WHERE submission_id = $1
  GROUP BY unit_key, indicator_code, period_code, series
  HAVING count(*) > 1
),
found AS (
  SELECT f.row_no, f.source_column, f.raw_value, f.unit_key, f.indicator_code, f.period_code, f.value,
         p.code, p.detail_a, p.detail_b
  FROM flagged f
  CROSS JOIN LATERAL (VALUES
    ('AMBIGUOUS_NUMBER', f.value_vi::text, f.value_en::text,
     $2::text IS NULL AND f.value_vi <> f.value_en),
    ('NUMBER_CONVENTION_CONFLICT', CASE $2::text WHEN 'vi' THEN 'en' ELSE 'vi' END, $2::text,
     $2::text IS NOT NULL AND f.value IS NULL),
    ('OUT_OF_RANGE', f.min_value::text, f.max_value::text,
     f.value < f.min_value OR f.value > f.max_value)
  ) AS p (code, detail_a, detail_b, hit)
  WHERE p.hit
  UNION ALL
  SELECT v.row_no, v.source_column, v.raw_value, v.unit_key, v.indicator_code, v.period_code, v.value,
         'DUPLICATE_VALUE', d.first_row::text, NULL
  FROM valued v
  JOIN duplicated d USING (unit_key, indicator_code, period_code, series)
  WHERE v.row_no > d.first_row
)
SELECT f.row_no, f.source_column, f.raw_value, f.code, f.detail_a, f.detail_b,
       f.indicator_code, u.code AS unit_code, f.period_code, f.value::text AS value
FROM found f JOIN core.unit u ON u.unit_key = f.unit_key
ORDER BY f.row_no, f.code;
