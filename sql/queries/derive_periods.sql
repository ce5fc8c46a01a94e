-- Derive the targeted periods of one type from their parts (the unit's reported value, else a
-- value derived earlier in this job): `sum` indicators need every part, `last` indicators the
-- part that ends last (core.period_component.is_last). The first alternative that works is used.
-- That part also ends on the period's last day, but comparing end dates here needs core.period
-- joined again, and the planner then took 1.0-1.8 s for a year's year-to-date pass instead of
-- 0.6-0.9 s (a kept `bench --only small` warehouse, three rounds); the column is read instead.
-- $1 period type; $2, $3: the years rolled up, as period-code bounds ('2023', '2025' for
-- 2023-2024): only their partitions are read.
WITH targets AS (
  SELECT t.unit_key, t.indicator_code, t.series, t.period_code, i.period_aggregation
  FROM derive_target t
  JOIN core.period p ON p.code = t.period_code AND p.type = $1
  JOIN core.indicator i ON i.code = t.indicator_code
),
parts AS (
  SELECT t.*, pc.alternative, pc.is_last,
         COALESCE(cv.value, dv.value) AS value,
         core.status_rank(COALESCE(cv.status, dv.status)) AS status_rank
  FROM targets t
  JOIN core.period_component pc ON pc.period_code = t.period_code
  LEFT JOIN core.current_value cv
    ON cv.unit_key = t.unit_key AND cv.indicator_code = t.indicator_code AND cv.period_code = pc.component_code AND cv.series = t.series
   AND cv.period_code >= $2 AND cv.period_code < $3
  LEFT JOIN core.derived_value dv
    ON dv.unit_key = t.unit_key AND dv.indicator_code = t.indicator_code AND dv.period_code = pc.component_code AND dv.series = t.series
   AND dv.period_code >= $2 AND dv.period_code < $3
),
alternatives AS (
  SELECT unit_key, indicator_code, series, period_code, alternative, period_aggregation,
         count(*) AS parts, count(value) AS present, sum(value) AS total, min(status_rank) AS weakest,
         min(value) FILTER (WHERE is_last) AS last_value,
         min(status_rank) FILTER (WHERE is_last) AS last_status
  FROM parts
  GROUP BY unit_key, indicator_code, series, period_code, alternative, period_aggregation
),
chosen AS (
  SELECT DISTINCT ON (unit_key, indicator_code, series, period_code)
         unit_key, indicator_code, series, period_code, parts,
         CASE period_aggregation WHEN 'sum' THEN total ELSE last_value END AS value,
         CASE period_aggregation WHEN 'sum' THEN weakest ELSE last_status END AS status_rank
  FROM alternatives
  WHERE (period_aggregation = 'sum' AND present = parts) OR (period_aggregation = 'last' AND last_value IS NOT NULL)
  ORDER BY unit_key, indicator_code, series, period_code, alternative
),
-- A value derived again as it was is not written again (as in rollup_level.sql), but every
-- derived cell still goes to rollup_changed: a full rollup after a catalogue change must
-- recompute ancestors whose children did not change. Returns both counts.
written AS (
  INSERT INTO core.derived_value AS d (unit_key, indicator_code, period_code, series, value, status, parts, computed_at)
  SELECT unit_key, indicator_code, period_code, series, value,
         core.status_of_rank(status_rank), parts, now()
  FROM chosen
  ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
    SET value = EXCLUDED.value, status = EXCLUDED.status, parts = EXCLUDED.parts, computed_at = EXCLUDED.computed_at
    WHERE (d.value, scale(d.value), d.status, d.parts)
          IS DISTINCT FROM (EXCLUDED.value, scale(EXCLUDED.value), EXCLUDED.status, EXCLUDED.parts)
  RETURNING 1
),
-- A value derived from the unit's own periods wins over the rollup of its children.
unaggregated AS (
  DELETE FROM core.aggregate_value a USING chosen c
  WHERE a.unit_key = c.unit_key AND a.indicator_code = c.indicator_code AND a.period_code = c.period_code
    AND a.series = c.series AND a.period_code >= $2 AND a.period_code < $3
),
recomputed AS (
  INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
  SELECT unit_key, indicator_code, period_code, series FROM chosen
  RETURNING 1
)
SELECT (SELECT count(*) FROM recomputed)::int AS recomputed, (SELECT count(*) FROM written)::int AS written;
