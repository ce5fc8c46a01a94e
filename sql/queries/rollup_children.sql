-- The children of the targeted ancestors of one level, along the hierarchy valid on each period's
-- last day. Kept in a work table so the planner knows how many there are (a city has 32 wards;
-- estimated from the catalogue it would guess 2, and choose lookups where a hash join pays). With
-- the indicator's rule and, for a weighted mean, its weight indicator (only weighted means use a
-- weight), so that rollup_level.sql looks weights up only for those and the planner knows from
-- this table's statistics how many there are.
-- $1 level
INSERT INTO rollup_child (parent_key, indicator_code, series, period_code, child_key, aggregation, weight_indicator)
SELECT t.unit_key, t.indicator_code, t.series, t.period_code, c.unit_key, i.aggregation,
       CASE WHEN i.aggregation = 'weighted_mean' THEN i.weight_indicator END
FROM rollup_target t
JOIN core.period p ON p.code = t.period_code
JOIN core.unit c ON c.parent_key = t.unit_key
JOIN core.indicator i ON i.code = t.indicator_code
WHERE t.level = $1
  AND c.valid_from <= p.end_date AND (c.valid_to IS NULL OR c.valid_to >= p.end_date);
