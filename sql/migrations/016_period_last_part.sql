-- The part of each alternative of a period that ends last: a `last` indicator (a stock) takes
-- that part's value, and it is missing when that part is. Marked once here, because the catalogue
-- of periods never changes at run time, so that derive_periods.sql picks it with a filter instead
-- of ordering every group's parts by end date (a sort per group, and a grouping that cannot hash).
ALTER TABLE core.period_component ADD COLUMN is_last boolean NOT NULL DEFAULT false;

UPDATE core.period_component pc
SET is_last = true
FROM (
  SELECT DISTINCT ON (c.period_code, c.alternative) c.period_code, c.alternative, c.component_code
  FROM core.period_component c
  JOIN core.period p ON p.code = c.component_code
  ORDER BY c.period_code, c.alternative, p.end_date DESC
) latest
WHERE pc.period_code = latest.period_code AND pc.alternative = latest.alternative
  AND pc.component_code = latest.component_code;

-- One last part per alternative.
CREATE UNIQUE INDEX period_component_last_idx ON core.period_component (period_code, alternative) WHERE is_last;
