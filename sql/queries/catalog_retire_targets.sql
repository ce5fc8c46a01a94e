-- `catalog sync`: the targets the files no longer have go (a target is its unit, indicator, metric
-- and deadline); the others keep their ids.
-- $1..$4: the files' targets as unit codes, indicator codes, metrics and deadlines (text[] each).
DELETE FROM core.target t
WHERE NOT EXISTS (
  SELECT FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS f(unit_code, indicator_code, metric, deadline_period)
  WHERE f.unit_code = t.unit_code AND f.indicator_code = t.indicator_code
    AND f.metric = t.metric AND f.deadline_period = t.deadline_period
);
