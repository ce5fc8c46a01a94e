-- Marks for a rebuild every year (of $2, or any) with current values of the indicators whose
-- rules changed (`catalog sync`), through core.mark_for_rebuild (migration 023): a year already
-- marked keeps its mark, widened.
-- The next rollup takes the marked years even with no load pending (rollup_plan.sql).
-- Each year of the period catalogue is probed for one value through the cell index of its own
-- partition, instead of reading every value for its year (0.43 s for 2,000,000 values; 3 ms).
-- $1: the indicators (text[]), or NULL for every indicator; $2: the years (int[]), or NULL for
-- every year.
SELECT core.mark_for_rebuild(ARRAY(
  SELECT y.year
  FROM (SELECT DISTINCT year FROM core.period) y
  WHERE ($2::int[] IS NULL OR y.year = ANY($2::int[]))
    AND EXISTS (
      SELECT 1 FROM core.current_value c
      WHERE c.indicator_code = ANY(COALESCE($1::text[], ARRAY(SELECT code FROM core.indicator)))
        AND c.period_code >= y.year::text AND c.period_code < (y.year + 1)::text
    )), $1::text[]) AS year;
