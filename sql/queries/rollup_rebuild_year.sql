-- A rollup pass's rebuild of one marked year: the computed values of the marked indicators go, in
-- the pass's transaction, and every current cell of those indicators joins the pass's changed
-- cells, so the pass computes them all again under the catalogue's rules. What the rules no longer
-- make is not made again. A cell a claimed load brought as well is there twice, as the derived
-- cells may be: each statement that reads rollup_changed makes its targets distinct.
-- $1, $2: the year's period-code bounds ('2023', '2024'): only its partitions are touched.
-- $3: the indicators (text[]), or NULL for every indicator.
WITH derived AS (
  DELETE FROM core.derived_value
  WHERE period_code >= $1 AND period_code < $2 AND ($3::text[] IS NULL OR indicator_code = ANY($3::text[]))
),
aggregated AS (
  DELETE FROM core.aggregate_value
  WHERE period_code >= $1 AND period_code < $2 AND ($3::text[] IS NULL OR indicator_code = ANY($3::text[]))
),
comparable AS (
  DELETE FROM core.comparable_value
  WHERE period_code >= $1 AND period_code < $2 AND ($3::text[] IS NULL OR indicator_code = ANY($3::text[]))
)
INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
SELECT c.unit_key, c.indicator_code, c.period_code, c.series
FROM core.current_value c
WHERE c.period_code >= $1 AND c.period_code < $2 AND ($3::text[] IS NULL OR c.indicator_code = ANY($3::text[]));
