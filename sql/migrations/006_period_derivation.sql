-- Values derived across periods (months → quarter → half → year, and year-to-date) from a unit's
-- own reported values, where the coarser period was not reported.

CREATE TABLE core.derived_value (
  unit_key        integer NOT NULL REFERENCES core.unit (unit_key),
  indicator_code  text NOT NULL,
  period_code     text NOT NULL,
  series          text NOT NULL,
  value           numeric NOT NULL,
  status          text NOT NULL,       -- the weakest status among the parts used
  parts           smallint NOT NULL,   -- how many shorter periods it was derived from
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_key, indicator_code, period_code, series)
);
CREATE INDEX derived_value_cell_idx ON core.derived_value (indicator_code, period_code, series);

-- Which shorter periods make up a period; several alternatives, the lowest number preferred.
CREATE TABLE core.period_component (
  period_code     text NOT NULL REFERENCES core.period (code),
  alternative     smallint NOT NULL,
  component_code  text NOT NULL REFERENCES core.period (code),
  PRIMARY KEY (period_code, alternative, component_code)
);
CREATE INDEX period_component_component_idx ON core.period_component (component_code);

INSERT INTO core.period_component (period_code, alternative, component_code)
SELECT q.code, 1, m.code FROM core.period q
JOIN core.period m ON m.type = 'month' AND m.year = q.year AND m.quarter = q.quarter
WHERE q.type = 'quarter'
UNION ALL
SELECT h.code, 1, q.code FROM core.period h
JOIN core.period q ON q.type = 'quarter' AND q.year = h.year AND q.half = h.half
WHERE h.type = 'half'
UNION ALL
SELECT y.code, 1, h.code FROM core.period y
JOIN core.period h ON h.type = 'half' AND h.year = y.year
WHERE y.type = 'year'
UNION ALL
SELECT t.code, 1, m.code FROM core.period t
JOIN core.period m ON m.type = 'month' AND m.year = t.year AND m.month <= t.month
WHERE t.type = 'ytd'
UNION ALL
-- Year to date from what departments usually report: Q1, the first half, S1 + Q3, the year.
SELECT t.code, 2, c.code FROM core.period t
JOIN core.period c ON c.year = t.year AND (
     (t.month = 3 AND c.type = 'quarter' AND c.quarter = 1)
  OR (t.month = 6 AND c.type = 'half' AND c.half = 1)
  OR (t.month = 9 AND ((c.type = 'half' AND c.half = 1) OR (c.type = 'quarter' AND c.quarter = 3)))
  OR (t.month = 12 AND c.type = 'year'))
WHERE t.type = 'ytd';

-- Rollups are coalesced per year: a year's periods depend on each other.
DROP TABLE core.publication;
CREATE TABLE core.publication (
  year           smallint PRIMARY KEY,
  published_at   timestamptz NOT NULL DEFAULT now(),
  cells          integer NOT NULL
);

DROP VIEW mart.fact_value;
CREATE VIEW mart.fact_value AS
SELECT u.code AS unit_code, c.indicator_code, c.period_code, c.series, c.value, i.uom, c.status,
       false AS is_derived, 'reported'::text AS derivation,
       NULL::integer AS reporting_units, NULL::integer AS expected_units,
       c.submission_id, c.updated_at, c.unit_key
FROM core.current_value c
JOIN core.unit u ON u.unit_key = c.unit_key
JOIN core.indicator i ON i.code = c.indicator_code
UNION ALL
SELECT u.code, d.indicator_code, d.period_code, d.series, d.value, i.uom, d.status,
       true, 'periods', NULL, NULL, NULL::bigint, d.computed_at, d.unit_key
FROM core.derived_value d
JOIN core.unit u ON u.unit_key = d.unit_key
JOIN core.indicator i ON i.code = d.indicator_code
WHERE NOT EXISTS (
  SELECT 1 FROM core.current_value c
  WHERE c.unit_key = d.unit_key AND c.indicator_code = d.indicator_code
    AND c.period_code = d.period_code AND c.series = d.series)
UNION ALL
SELECT u.code, a.indicator_code, a.period_code, a.series, a.value, i.uom, a.status,
       true, 'units', a.reporting_units, a.expected_units, NULL::bigint, a.computed_at, a.unit_key
FROM core.aggregate_value a
JOIN core.unit u ON u.unit_key = a.unit_key
JOIN core.indicator i ON i.code = a.indicator_code
WHERE NOT EXISTS (
  SELECT 1 FROM core.current_value c
  WHERE c.unit_key = a.unit_key AND c.indicator_code = a.indicator_code
    AND c.period_code = a.period_code AND c.series = a.series)
  AND NOT EXISTS (
  SELECT 1 FROM core.derived_value d
  WHERE d.unit_key = a.unit_key AND d.indicator_code = a.indicator_code
    AND d.period_code = a.period_code AND d.series = a.series);
COMMENT ON VIEW mart.fact_value IS 'One value per unit, indicator, period and series: the reported value; else one derived from the unit''s own shorter periods; else the rollup of its child units.';
COMMENT ON COLUMN mart.fact_value.unit_code IS 'GSO code of the unit valid in the period (see dim_unit).';
COMMENT ON COLUMN mart.fact_value.indicator_code IS 'Indicator (see dim_indicator).';
COMMENT ON COLUMN mart.fact_value.period_code IS 'Period (see dim_period).';
COMMENT ON COLUMN mart.fact_value.series IS 'actual (thực hiện), plan_province (KH tỉnh giao) or plan_city (KH thành phố).';
COMMENT ON COLUMN mart.fact_value.value IS 'Exact numeric value in the indicator''s canonical unit of measure.';
COMMENT ON COLUMN mart.fact_value.uom IS 'Unit of measure of value.';
COMMENT ON COLUMN mart.fact_value.status IS 'official, preliminary or estimate; for a derived value, the weakest status among its parts.';
COMMENT ON COLUMN mart.fact_value.is_derived IS 'false: reported in a submission; true: computed by dstats (see derivation).';
COMMENT ON COLUMN mart.fact_value.derivation IS 'reported; periods (from the unit''s own shorter periods: months → quarter → half → year, year to date); units (rollup of child units).';
COMMENT ON COLUMN mart.fact_value.reporting_units IS 'For a rollup of units: how many child units had a value.';
COMMENT ON COLUMN mart.fact_value.expected_units IS 'For a rollup of units: how many child units exist in the period.';
COMMENT ON COLUMN mart.fact_value.submission_id IS 'Submission a reported value came from (see submissions); NULL for derived values.';
COMMENT ON COLUMN mart.fact_value.updated_at IS 'When the value was last loaded or recomputed.';
COMMENT ON COLUMN mart.fact_value.unit_key IS 'The exact unit version (see dim_unit.unit_key); unit_code alone is ambiguous across the 2025 reorganisation.';
