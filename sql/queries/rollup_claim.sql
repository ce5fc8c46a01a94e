-- Claim every pending load (in the rollup's transaction: a crash puts them back) and list the
-- cells they loaded in the claimed years.
WITH claimed AS (
  DELETE FROM core.rollup_pending
  RETURNING year, submission_id
),
kept AS (
  INSERT INTO rollup_claimed (year, submission_id) SELECT year, submission_id FROM claimed
)
INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
SELECT DISTINCT o.unit_key, o.indicator_code, o.period_code, o.series
FROM claimed c
JOIN core.observation o ON o.submission_id = c.submission_id
JOIN core.period p ON p.code = o.period_code AND p.year = c.year;
