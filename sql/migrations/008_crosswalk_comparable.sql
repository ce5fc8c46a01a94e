-- A comparable series for the units created by a reorganisation (2025-07-01), for the periods
-- before it: each new unit gets the values of the old units that went into it, whole (full) or by
-- allocation shares (partial). Derived, never reported; see mart.fact_comparable.

CREATE TABLE core.comparable_value (
  unit_key        integer NOT NULL REFERENCES core.unit (unit_key),   -- the new unit
  indicator_code  text NOT NULL,
  period_code     text NOT NULL,
  series          text NOT NULL,
  value           numeric NOT NULL,
  status          text NOT NULL,
  old_units       integer NOT NULL,   -- old units that contributed
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_key, indicator_code, period_code, series)
);

CREATE VIEW mart.fact_comparable AS
SELECT u.code AS unit_code, c.unit_key, c.indicator_code, c.period_code, c.series, c.value, i.uom, c.status,
       true AS is_derived, 'crosswalk'::text AS derivation, c.old_units, c.computed_at AS updated_at
FROM core.comparable_value c
JOIN core.unit u ON u.unit_key = c.unit_key
JOIN core.indicator i ON i.code = c.indicator_code;
COMMENT ON VIEW mart.fact_comparable IS 'Values of today''s units for periods before they existed, derived through the 2025 crosswalk (full: the whole old value; partial: allocation shares, by population unless schemas/ gives weights). Sum indicators only.';
COMMENT ON COLUMN mart.fact_comparable.unit_code IS 'GSO code of the new unit (valid after the reorganisation).';
COMMENT ON COLUMN mart.fact_comparable.unit_key IS 'Exact unit version (see dim_unit).';
COMMENT ON COLUMN mart.fact_comparable.indicator_code IS 'Indicator (aggregation sum).';
COMMENT ON COLUMN mart.fact_comparable.period_code IS 'A period before the new unit existed.';
COMMENT ON COLUMN mart.fact_comparable.series IS 'actual, plan_province or plan_city.';
COMMENT ON COLUMN mart.fact_comparable.value IS 'Sum of the old units'' values times their shares; full precision.';
COMMENT ON COLUMN mart.fact_comparable.uom IS 'Unit of measure.';
COMMENT ON COLUMN mart.fact_comparable.status IS 'The weakest status among the old values used.';
COMMENT ON COLUMN mart.fact_comparable.is_derived IS 'Always true.';
COMMENT ON COLUMN mart.fact_comparable.derivation IS 'Always crosswalk.';
COMMENT ON COLUMN mart.fact_comparable.old_units IS 'How many old units contributed.';
COMMENT ON COLUMN mart.fact_comparable.updated_at IS 'When it was computed.';

-- Growth compares with the same unit a year earlier, or with its comparable series when the unit
-- did not exist then.
CREATE OR REPLACE VIEW mart.growth AS
SELECT f.unit_code, f.unit_key, f.indicator_code, f.period_code, f.series, f.value, f.is_derived,
       (p.year - 1)::text || substr(f.period_code, 5) AS period_last_year,
       COALESCE(prev.value, cmp.value) AS value_last_year,
       CASE WHEN COALESCE(prev.value, cmp.value) <> 0 THEN (f.value / COALESCE(prev.value, cmp.value) - 1) * 100 END AS yoy_pct
FROM mart.fact_value f
JOIN core.period p ON p.code = f.period_code
LEFT JOIN mart.fact_value prev
  ON prev.unit_key = f.unit_key AND prev.indicator_code = f.indicator_code AND prev.series = f.series
 AND prev.period_code = (p.year - 1)::text || substr(f.period_code, 5)
LEFT JOIN core.comparable_value cmp
  ON cmp.unit_key = f.unit_key AND cmp.indicator_code = f.indicator_code AND cmp.series = f.series
 AND cmp.period_code = (p.year - 1)::text || substr(f.period_code, 5);
COMMENT ON COLUMN mart.growth.value_last_year IS 'Value in that period (for a unit created in 2025, its comparable series); NULL if none.';
