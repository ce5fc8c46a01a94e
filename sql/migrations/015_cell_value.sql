-- Every value of a cell, whichever table holds it: reported (core.current_value), derived from the
-- unit's shorter periods (core.derived_value) or rolled up from its children (core.aggregate_value).
-- Since migration 012 a cell has one row in the three tables together, so this plain union is
-- each cell's value. rollup_level.sql reads its children's values through it instead of joining
-- the three tables one by one.
--
-- Bound it by period (period_code >= … AND < …) so that the planner prunes each table to the
-- years asked for. Do not filter it on `derivation` in a WHERE or ON clause: the branch that the
-- filter rules out is expanded to every year's partitions and each is locked, unpruned, while the
-- statement is planned, so the statement would wait behind any other year's exclusive lock and plan
-- more slowly as years accumulate (tests/integration/partitions.test.ts). Join the tables it needs
-- instead.
CREATE VIEW core.cell_value AS
SELECT unit_key, indicator_code, period_code, series, value, status, 'reported'::text AS derivation
FROM core.current_value
UNION ALL
SELECT unit_key, indicator_code, period_code, series, value, status, 'periods'::text
FROM core.derived_value
UNION ALL
SELECT unit_key, indicator_code, period_code, series, value, status, 'units'::text
FROM core.aggregate_value;

COMMENT ON VIEW core.cell_value IS
  'Each cell''s one value: reported, derived from its periods (''periods'') or rolled up from its children (''units''), as in mart.fact_value.';
