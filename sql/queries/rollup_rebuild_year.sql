-- A rollup pass's rebuild of one marked year: its derived, rolled-up and comparable values go, in
-- the pass's transaction, before the pass computes them all again under the catalogue's rules.
-- $1 the year; $2, $3 its period-code bounds ('2023', '2024'): only its partitions are touched.
WITH derived AS (
  DELETE FROM core.derived_value WHERE period_code >= $2 AND period_code < $3
),
aggregated AS (
  DELETE FROM core.aggregate_value WHERE period_code >= $2 AND period_code < $3
),
comparable AS (
  DELETE FROM core.comparable_value WHERE period_code >= $2 AND period_code < $3
)
DELETE FROM core.rollup_rebuild WHERE year = $1::smallint;
