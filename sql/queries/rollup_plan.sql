-- The years waiting for a rollup, each with an upper bound of its changed cells: the values of the
-- loads that marked it (a load's values in all its years; exact for the usual one-year file), and
-- for a year marked for a rebuild (rollup_mark_rebuild.sql) the count of its marked indicators'
-- current values (all of them when the mark holds NULL). Counted only while a mark is waiting,
-- which is once after a change of the catalogue's rules.
-- Read without claiming: each pass claims its own years.
WITH pending AS (
  SELECT p.year, COALESCE(sum(s.values_loaded), 0) AS cells
  FROM core.rollup_pending p
  LEFT JOIN core.submission s ON s.submission_id = p.submission_id
  GROUP BY p.year
),
rebuild AS (
  SELECT r.year, marked.cells
  FROM core.rollup_rebuild r
  CROSS JOIN LATERAL (
    SELECT count(*) AS cells FROM core.current_value c
    WHERE c.period_code >= r.year::text AND c.period_code < (r.year + 1)::text
      AND (r.indicator_codes IS NULL OR c.indicator_code = ANY(r.indicator_codes))
  ) marked
)
SELECT year::int AS year, LEAST(sum(cells), 2000000000)::int AS cells
FROM (SELECT year, cells FROM pending UNION ALL SELECT year, cells FROM rebuild) waiting
GROUP BY year
ORDER BY year;
