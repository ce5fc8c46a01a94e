-- A rolled-up value compared with last year's says nothing of how many wards each stands for: a
-- city's fourth quarter from 10 of its 32 wards against last year's from all 32 showed −40.71 %.
-- The growth view now carries both counts, so that a BI report can leave out, or mark, a growth
-- between rollups of different coverage. Columns are only added at the end.
CREATE OR REPLACE VIEW mart.growth AS
SELECT f.unit_code, f.unit_key, f.indicator_code, f.period_code, f.series, f.value, f.is_derived,
       (p.year - 1)::text || substr(f.period_code, 5) AS period_last_year,
       prev.value AS value_last_year,
       CASE WHEN prev.value <> 0 THEN (f.value / prev.value - 1) * 100 END AS yoy_pct,
       f.reporting_units, f.expected_units,
       (SELECT l.reporting_units FROM mart.fact_value l
        WHERE f.reporting_units IS NOT NULL
          AND l.unit_key = f.unit_key AND l.indicator_code = f.indicator_code AND l.series = f.series
          AND l.period_code = (p.year - 1)::text || substr(f.period_code, 5)) AS reporting_units_last_year
FROM mart.fact_value f
JOIN core.period p ON p.code = f.period_code
LEFT JOIN LATERAL (
  SELECT COALESCE(
    (SELECT l.value FROM mart.fact_value l
     WHERE l.unit_key = f.unit_key AND l.indicator_code = f.indicator_code AND l.series = f.series
       AND l.period_code = (p.year - 1)::text || substr(f.period_code, 5)),
    (SELECT c.value FROM core.comparable_value c
     WHERE c.unit_key = f.unit_key AND c.indicator_code = f.indicator_code AND c.series = f.series
       AND c.period_code = (p.year - 1)::text || substr(f.period_code, 5))) AS value
) prev ON true;

COMMENT ON COLUMN mart.growth.reporting_units IS 'For a value rolled up from child units: how many entered it (as fact_value); NULL otherwise.';
COMMENT ON COLUMN mart.growth.expected_units IS 'For a value rolled up from child units: how many child units there are (as fact_value); NULL otherwise.';
COMMENT ON COLUMN mart.growth.reporting_units_last_year IS 'For a rolled-up value: how many child units entered last year''s value, when that was rolled up too (NULL for a reported or comparable one). A growth between different counts compares different coverage.';
