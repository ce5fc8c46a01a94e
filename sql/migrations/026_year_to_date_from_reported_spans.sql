-- A year to date that spans a quarter, a half or the year (YTD03, YTD06, YTD09 = S1 + Q3, YTD12)
-- now comes from those first, and from the months only when they cannot give it. A reported
-- official year of 1,300 beside twelve estimated months of 100 made YTD12 1,200 (estimate)
-- next to the year's 1,300: the same span with two figures. A reported value wins over one
-- derived, and when the coarser periods are themselves derived from the months, both ways give
-- the same figure.
-- Swapped in three steps: the index of the last parts (migration 016) is unique per alternative.
UPDATE core.period_component pc SET alternative = 3
FROM core.period t
WHERE t.code = pc.period_code AND t.type = 'ytd' AND pc.alternative = 1 AND t.month IN (3, 6, 9, 12);
UPDATE core.period_component pc SET alternative = 1
FROM core.period t
WHERE t.code = pc.period_code AND t.type = 'ytd' AND pc.alternative = 2;
UPDATE core.period_component pc SET alternative = 2
FROM core.period t
WHERE t.code = pc.period_code AND t.type = 'ytd' AND pc.alternative = 3;

-- The years to date derived before this migration are derived again by the next rollup.
SELECT core.mark_for_rebuild(
  ARRAY(SELECT DISTINCT left(period_code, 4)::int FROM core.derived_value WHERE period_code LIKE '____YTD%'),
  ARRAY(SELECT code FROM core.indicator WHERE period_aggregation <> 'none' ORDER BY code));
