-- mart.fact_value showed a derived value only where no reported one exists, and a rollup only where
-- neither does, with NOT EXISTS conditions over the value tables. Every query of the mart planned
-- those conditions over every year's partitions of the tables they read, for each lookup into
-- fact_value: most of the planning of a mart query, which grew with the years held (a lookup of
-- one cell on a warehouse of 24 years: 10-14.5 ms of planning, 2.3-3.4 ms without them).
-- The value tables now keep the precedence as they are written: a load removes the derived and
-- rolled-up values of the cells it reports, a derivation removes the rollups of the cells it
-- derives, and a rollup writes none where a reported or derived value exists
-- (sql/queries/load_submission.sql, derive_periods.sql, rollup_level.sql; src/db/year-locks.ts
-- keeps loads and rollup passes of a year apart). So each cell has one row in the three tables
-- together, and fact_value is their plain union. Same columns, same rows; grants and comments
-- stay with the view.

-- What the NOT EXISTS conditions hid until now.
DELETE FROM core.derived_value d
WHERE EXISTS (
  SELECT 1 FROM core.current_value c
  WHERE c.unit_key = d.unit_key AND c.indicator_code = d.indicator_code
    AND c.period_code = d.period_code AND c.series = d.series);

DELETE FROM core.aggregate_value a
WHERE EXISTS (
  SELECT 1 FROM core.current_value c
  WHERE c.unit_key = a.unit_key AND c.indicator_code = a.indicator_code
    AND c.period_code = a.period_code AND c.series = a.series)
  OR EXISTS (
  SELECT 1 FROM core.derived_value d
  WHERE d.unit_key = a.unit_key AND d.indicator_code = a.indicator_code
    AND d.period_code = a.period_code AND d.series = a.series);

CREATE OR REPLACE VIEW mart.fact_value AS
SELECT u.code AS unit_code, c.indicator_code, c.period_code, c.series, c.value, i.uom, c.status,
       false AS is_derived, 'reported'::text AS derivation,
       NULL::integer AS reporting_units, NULL::integer AS expected_units,
       c.submission_id, c.updated_at, c.unit_key
FROM core.current_value c
JOIN core.unit u ON u.unit_key = c.unit_key
JOIN core.indicator i ON i.code = c.indicator_code
UNION ALL
SELECT u.code, d.indicator_code, d.period_code, d.series, d.value, i.uom, d.status,
       true, 'periods', NULL, NULL, NULL::bigint, d.computed_at, d.unit_key
FROM core.derived_value d
JOIN core.unit u ON u.unit_key = d.unit_key
JOIN core.indicator i ON i.code = d.indicator_code
UNION ALL
SELECT u.code, a.indicator_code, a.period_code, a.series, a.value, i.uom, a.status,
       true, 'units', a.reporting_units, a.expected_units, NULL::bigint, a.computed_at, a.unit_key
FROM core.aggregate_value a
JOIN core.unit u ON u.unit_key = a.unit_key
JOIN core.indicator i ON i.code = a.indicator_code;
