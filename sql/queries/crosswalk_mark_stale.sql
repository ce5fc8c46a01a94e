-- A pass's changed population of a new unit that shares a split old unit without a weight of its
-- own (crosswalk_targets.sql): the shares of that old unit change, so every year in which the old
-- unit has values before the split is marked for its comparable series to be computed again
-- (core.comparable_stale, taken by that year's next pass: crosswalk_claim_stale.sql). A code
-- may name the old unit and a new one (05467): the old one is the version that ended before the
-- split. Returns the marks made.
WITH split AS (
  SELECT DISTINCT w.old_code, w.effective_date
  FROM rollup_changed c
  JOIN core.unit n ON n.unit_key = c.unit_key
  JOIN core.unit_crosswalk w ON w.new_code = n.code AND w.effective_date = n.valid_from
  WHERE c.indicator_code = 'POPULATION' AND c.series = 'actual' AND w.kind = 'partial' AND w.weight IS NULL
)
INSERT INTO core.comparable_stale (year, old_code, effective_date)
SELECT y.year, s.old_code, s.effective_date
FROM split s
JOIN core.unit o ON o.code = s.old_code AND o.valid_from < s.effective_date
CROSS JOIN LATERAL (SELECT DISTINCT p.year FROM core.period p WHERE p.end_date < s.effective_date) y
WHERE EXISTS (
  SELECT 1 FROM core.current_value cv
  WHERE cv.unit_key = o.unit_key AND cv.period_code >= y.year::text AND cv.period_code < (y.year + 1)::text
)
ON CONFLICT (year, old_code, effective_date) DO NOTHING;
