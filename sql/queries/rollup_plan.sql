-- The years waiting for a rollup, each with an upper bound of its changed cells: the values of the
-- loads that marked it (a load's values in all its years; exact for the usual one-year file), for
-- a year marked for a rebuild (rollup_mark_rebuild.sql) its marked indicators' current values, and
-- for a year whose comparable series wait for new shares (crosswalk_mark_stale.sql) a guess of
-- a few hundred cells per split old unit (a year of one ward's figures).
-- Read without claiming: each pass claims its own years.
WITH pending AS (
  SELECT p.year, COALESCE(sum(s.values_loaded), 0) AS cells
  FROM core.rollup_pending p
  LEFT JOIN core.submission s ON s.submission_id = p.submission_id
  GROUP BY p.year
),
rebuild AS (
  SELECT r.year, COALESCE(estimated.cells, counted.cells) AS cells
  FROM core.rollup_rebuild r
  -- Every indicator: the planner's row count of the year's partition, when it has one (counting
  -- 86,000 values a year took 65 ms).
  LEFT JOIN LATERAL (
    SELECT t.reltuples::bigint AS cells FROM pg_class t
    WHERE r.indicator_codes IS NULL AND t.oid = to_regclass(format('core.current_value_y%s', r.year)) AND t.reltuples >= 0
  ) estimated ON true
  -- Some indicators (or a partition never analysed): counted through the cell index. Always as an
  -- array, since an OR with `IS NULL` made the planner read the whole year instead.
  LEFT JOIN LATERAL (
    SELECT count(*) AS cells FROM core.current_value c
    WHERE estimated.cells IS NULL
      AND c.indicator_code = ANY(COALESCE(r.indicator_codes, ARRAY(SELECT code FROM core.indicator)))
      AND c.period_code >= r.year::text AND c.period_code < (r.year + 1)::text
  ) counted ON true
),
stale AS (
  SELECT year, count(*) * 300 AS cells FROM core.comparable_stale GROUP BY year
)
SELECT year::int AS year, LEAST(sum(cells), 2000000000)::int AS cells
FROM (SELECT year, cells FROM pending UNION ALL SELECT year, cells FROM rebuild UNION ALL SELECT year, cells FROM stale) waiting
GROUP BY year
ORDER BY year;
