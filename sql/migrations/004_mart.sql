-- mart: the stable interface for BI tools. Views only; every column documented.

CREATE SCHEMA IF NOT EXISTS mart;

CREATE VIEW mart.dim_unit AS
SELECT u.unit_key, u.code AS unit_code, u.name, u.type, u.level, u.parent_code,
       u.valid_from, u.valid_to, u.aliases
FROM core.unit u;
COMMENT ON VIEW mart.dim_unit IS 'Administrative units (GSO codes) with their validity: a code can mean different units in different periods.';
COMMENT ON COLUMN mart.dim_unit.unit_key IS 'Surrogate key of this version of the unit.';
COMMENT ON COLUMN mart.dim_unit.unit_code IS 'GSO administrative code, leading zeros kept (05440).';
COMMENT ON COLUMN mart.dim_unit.name IS 'Official Vietnamese name (Phường Hoàng Văn Thụ).';
COMMENT ON COLUMN mart.dim_unit.type IS 'province, city, district, town, ward, commune or township.';
COMMENT ON COLUMN mart.dim_unit.level IS '1 province; 2 city/district (before 2025-07-01) or ward/commune (after); 3 ward/commune before 2025-07-01.';
COMMENT ON COLUMN mart.dim_unit.parent_code IS 'Code of the parent unit valid at the same time.';
COMMENT ON COLUMN mart.dim_unit.valid_from IS 'First day this code means this unit.';
COMMENT ON COLUMN mart.dim_unit.valid_to IS 'Last day this code means this unit; NULL while still valid.';
COMMENT ON COLUMN mart.dim_unit.aliases IS 'Other names submissions use for the unit.';

CREATE VIEW mart.dim_indicator AS
SELECT i.code AS indicator_code, i.domain, i.name_vi, i.name_en, i.uom, i.aggregation,
       i.weight_indicator, i.period_aggregation, i.min_value, i.max_value, i.better
FROM core.indicator i;
COMMENT ON VIEW mart.dim_indicator IS 'Indicator catalogue: meaning, canonical unit of measure and aggregation rules.';
COMMENT ON COLUMN mart.dim_indicator.indicator_code IS 'Stable indicator code (BUDGET_REVENUE).';
COMMENT ON COLUMN mart.dim_indicator.domain IS 'Domain: budget, growth, social, digital, reform, urban.';
COMMENT ON COLUMN mart.dim_indicator.name_vi IS 'Vietnamese name as in the city''s reports.';
COMMENT ON COLUMN mart.dim_indicator.name_en IS 'English name.';
COMMENT ON COLUMN mart.dim_indicator.uom IS 'Canonical unit of measure of every value (bn_vnd = tỷ đồng, pct, count, ...).';
COMMENT ON COLUMN mart.dim_indicator.aggregation IS 'How children add up to a parent: sum, weighted_mean, count_true or none.';
COMMENT ON COLUMN mart.dim_indicator.weight_indicator IS 'Weight of a weighted_mean (e.g. HOUSEHOLDS for a poverty rate).';
COMMENT ON COLUMN mart.dim_indicator.period_aggregation IS 'How shorter periods add up: sum (flows), last (stocks) or none.';
COMMENT ON COLUMN mart.dim_indicator.min_value IS 'Smallest valid value; NULL if unbounded.';
COMMENT ON COLUMN mart.dim_indicator.max_value IS 'Largest valid value; NULL if unbounded.';
COMMENT ON COLUMN mart.dim_indicator.better IS 'higher or lower is better; NULL if neutral.';

CREATE VIEW mart.dim_period AS
SELECT p.code AS period_code, p.type, p.start_date, p.end_date, p.year, p.half, p.quarter, p.month, p.months
FROM core.period p;
COMMENT ON VIEW mart.dim_period IS 'Calendar of reporting periods.';
COMMENT ON COLUMN mart.dim_period.period_code IS 'Period code: 2022, 2022S1, 2022Q2, 202206, 2022YTD09.';
COMMENT ON COLUMN mart.dim_period.type IS 'year, half, quarter, month or ytd (year to date).';
COMMENT ON COLUMN mart.dim_period.start_date IS 'First day of the period.';
COMMENT ON COLUMN mart.dim_period.end_date IS 'Last day of the period (inclusive).';
COMMENT ON COLUMN mart.dim_period.year IS 'Calendar year.';
COMMENT ON COLUMN mart.dim_period.half IS 'Half of the year (1 or 2) for halves, quarters and months.';
COMMENT ON COLUMN mart.dim_period.quarter IS 'Quarter (1-4) for quarters and months.';
COMMENT ON COLUMN mart.dim_period.month IS 'Month (1-12) for months; last month covered for ytd.';
COMMENT ON COLUMN mart.dim_period.months IS 'Length of the period in months.';

CREATE VIEW mart.fact_value AS
SELECT u.code AS unit_code, c.indicator_code, c.period_code, c.series, c.value, i.uom, c.status,
       false AS is_derived, NULL::integer AS reporting_units, NULL::integer AS expected_units,
       c.submission_id, c.updated_at
FROM core.current_value c
JOIN core.unit u ON u.unit_key = c.unit_key
JOIN core.indicator i ON i.code = c.indicator_code
UNION ALL
SELECT u.code, a.indicator_code, a.period_code, a.series, a.value, i.uom, a.status,
       true, a.reporting_units, a.expected_units, NULL::bigint, a.computed_at
FROM core.aggregate_value a
JOIN core.unit u ON u.unit_key = a.unit_key
JOIN core.indicator i ON i.code = a.indicator_code
WHERE NOT EXISTS (
  SELECT 1 FROM core.current_value c
  WHERE c.unit_key = a.unit_key AND c.indicator_code = a.indicator_code
    AND c.period_code = a.period_code AND c.series = a.series
);
COMMENT ON VIEW mart.fact_value IS 'One value per unit, indicator, period and series: reported values, and rollups where the unit did not report itself.';
COMMENT ON COLUMN mart.fact_value.unit_code IS 'GSO code of the unit valid in the period (see dim_unit).';
COMMENT ON COLUMN mart.fact_value.indicator_code IS 'Indicator (see dim_indicator).';
COMMENT ON COLUMN mart.fact_value.period_code IS 'Period (see dim_period).';
COMMENT ON COLUMN mart.fact_value.series IS 'actual (thực hiện), plan_province (KH tỉnh giao) or plan_city (KH thành phố).';
COMMENT ON COLUMN mart.fact_value.value IS 'Exact numeric value in the indicator''s canonical unit of measure.';
COMMENT ON COLUMN mart.fact_value.uom IS 'Unit of measure of value.';
COMMENT ON COLUMN mart.fact_value.status IS 'official, preliminary or estimate; for a rollup, the weakest status among its parts.';
COMMENT ON COLUMN mart.fact_value.is_derived IS 'false: reported in a submission; true: computed by dstats from other values.';
COMMENT ON COLUMN mart.fact_value.reporting_units IS 'For a rollup: how many child units reported a value.';
COMMENT ON COLUMN mart.fact_value.expected_units IS 'For a rollup: how many child units exist in the period.';
COMMENT ON COLUMN mart.fact_value.submission_id IS 'Submission the reported value came from (see submissions); NULL for rollups.';
COMMENT ON COLUMN mart.fact_value.updated_at IS 'When the value was last loaded or recomputed.';

CREATE VIEW mart.submissions AS
SELECT s.submission_id, s.source_id, s.file_name, s.sha256, s.size_bytes, s.state, s.duplicate_of,
       s.received_at, s.finished_at, s.rows_read, s.values_loaded, s.problem_count, s.first_problem
FROM core.submission s;
COMMENT ON VIEW mart.submissions IS 'Every file that reached intake, with its outcome.';
COMMENT ON COLUMN mart.submissions.submission_id IS 'Submission id, referenced by fact_value.submission_id.';
COMMENT ON COLUMN mart.submissions.source_id IS 'Who sent it: a ward/commune code or a department id (164-TCKH).';
COMMENT ON COLUMN mart.submissions.file_name IS 'File name as dropped in the inbox.';
COMMENT ON COLUMN mart.submissions.sha256 IS 'SHA-256 of the bytes; the same bytes load once.';
COMMENT ON COLUMN mart.submissions.size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN mart.submissions.state IS 'received, staged, loaded, rejected or duplicate.';
COMMENT ON COLUMN mart.submissions.duplicate_of IS 'For a duplicate: the submission that already loaded these bytes.';
COMMENT ON COLUMN mart.submissions.received_at IS 'When intake registered the file.';
COMMENT ON COLUMN mart.submissions.finished_at IS 'When it was loaded or rejected.';
COMMENT ON COLUMN mart.submissions.rows_read IS 'Data rows read from the file.';
COMMENT ON COLUMN mart.submissions.values_loaded IS 'Values loaded as observations.';
COMMENT ON COLUMN mart.submissions.problem_count IS 'Problems found (see the file''s errors.csv in rejected/).';
COMMENT ON COLUMN mart.submissions.first_problem IS 'The first problem, in English, for a quick look.';
