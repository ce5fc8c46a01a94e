-- mart: the stable interface for BI tools. Views only; every view and column documented.

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

CREATE VIEW mart.submissions AS
SELECT s.submission_id, s.source_id, s.file_name, s.sha256, s.size_bytes, s.state, s.duplicate_of,
       s.received_at, s.finished_at, s.rows_read, s.values_loaded, s.problem_count, s.first_problem,
       s.submitted_at, s.form_id, s.periods
FROM core.submission s;
COMMENT ON COLUMN mart.submissions.submitted_at IS 'When the source dropped the file (its modification time, never later than received_at).';
COMMENT ON COLUMN mart.submissions.form_id IS 'Form of a wide table; NULL for a long-format file.';
COMMENT ON COLUMN mart.submissions.periods IS 'Periods the file had values for.';
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
COMMENT ON COLUMN mart.submissions.submitted_at IS 'When the source dropped the file (its modification time, never later than received_at).';
COMMENT ON COLUMN mart.submissions.form_id IS 'Form of a wide table; NULL for a long-format file.';
COMMENT ON COLUMN mart.submissions.periods IS 'Periods the file had values for.';

-- Traceability: every value ever loaded, with the file and line it came from.
CREATE VIEW mart.observation_history AS
SELECT o.observation_id, u.code AS unit_code, o.unit_key, o.indicator_code, o.period_code, o.series,
       o.status, o.value, o.submission_id, s.source_id, s.file_name, o.row_no, o.loaded_at,
       (c.observation_id IS NOT NULL) AS is_current
FROM core.observation o
JOIN core.unit u ON u.unit_key = o.unit_key
JOIN core.submission s ON s.submission_id = o.submission_id
LEFT JOIN core.current_value c ON c.observation_id = o.observation_id;
COMMENT ON VIEW mart.observation_history IS 'Every value ever loaded, including the ones later replaced: where each number came from.';
COMMENT ON COLUMN mart.observation_history.observation_id IS 'Observation id.';
COMMENT ON COLUMN mart.observation_history.unit_code IS 'GSO code of the unit.';
COMMENT ON COLUMN mart.observation_history.unit_key IS 'Exact unit version (see dim_unit).';
COMMENT ON COLUMN mart.observation_history.indicator_code IS 'Indicator.';
COMMENT ON COLUMN mart.observation_history.period_code IS 'Period.';
COMMENT ON COLUMN mart.observation_history.series IS 'actual, plan_province or plan_city.';
COMMENT ON COLUMN mart.observation_history.status IS 'official, preliminary or estimate.';
COMMENT ON COLUMN mart.observation_history.value IS 'Value as loaded, in the canonical unit of measure.';
COMMENT ON COLUMN mart.observation_history.submission_id IS 'Submission (file) it came from.';
COMMENT ON COLUMN mart.observation_history.source_id IS 'Who sent the file.';
COMMENT ON COLUMN mart.observation_history.file_name IS 'Name of the file.';
COMMENT ON COLUMN mart.observation_history.row_no IS 'Line of the file (the header is line 1).';
COMMENT ON COLUMN mart.observation_history.loaded_at IS 'When it was loaded.';
COMMENT ON COLUMN mart.observation_history.is_current IS 'Whether it is the value in force (see fact_value).';

-- Growth compares with the same unit a year earlier, or with its comparable series when the unit
-- did not exist then. Growth and plan attainment look the other value up per row (LATERAL), so
-- Postgres reads only the cells it needs.
CREATE VIEW mart.growth AS
SELECT f.unit_code, f.unit_key, f.indicator_code, f.period_code, f.series, f.value, f.is_derived,
       (p.year - 1)::text || substr(f.period_code, 5) AS period_last_year,
       prev.value AS value_last_year,
       CASE WHEN prev.value <> 0 THEN (f.value / prev.value - 1) * 100 END AS yoy_pct
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
COMMENT ON VIEW mart.growth IS 'Each value with the same period of the previous year and the growth between them (tăng so với cùng kỳ).';
COMMENT ON COLUMN mart.growth.unit_code IS 'GSO code of the unit.';
COMMENT ON COLUMN mart.growth.unit_key IS 'Exact unit version (see dim_unit).';
COMMENT ON COLUMN mart.growth.indicator_code IS 'Indicator.';
COMMENT ON COLUMN mart.growth.period_code IS 'Period of value.';
COMMENT ON COLUMN mart.growth.series IS 'actual, plan_province or plan_city.';
COMMENT ON COLUMN mart.growth.value IS 'Value in the period.';
COMMENT ON COLUMN mart.growth.is_derived IS 'Whether value was computed by dstats (see fact_value.derivation).';
COMMENT ON COLUMN mart.growth.period_last_year IS 'The same period one year earlier.';
COMMENT ON COLUMN mart.growth.value_last_year IS 'Value in that period (for a unit created in 2025, its comparable series); NULL if none.';
COMMENT ON COLUMN mart.growth.yoy_pct IS 'Growth in percent: value / value_last_year × 100 − 100 (bằng 107,22% so với cùng kỳ = 7.22). Full precision; round when displaying.';

CREATE VIEW mart.plan_progress AS
SELECT f.unit_code, f.unit_key, f.indicator_code, f.period_code, f.value, f.status,
       plan.province AS plan_province, plan.city AS plan_city,
       f.value / NULLIF(plan.province, 0) * 100 AS pct_of_plan_province,
       f.value / NULLIF(plan.city, 0) * 100 AS pct_of_plan_city
FROM mart.fact_value f
JOIN core.period p ON p.code = f.period_code
CROSS JOIN LATERAL (
  SELECT (SELECT pp.value FROM mart.fact_value pp
          WHERE pp.unit_key = f.unit_key AND pp.indicator_code = f.indicator_code
            AND pp.period_code = p.year::text AND pp.series = 'plan_province') AS province,
         (SELECT pc.value FROM mart.fact_value pc
          WHERE pc.unit_key = f.unit_key AND pc.indicator_code = f.indicator_code
            AND pc.period_code = p.year::text AND pc.series = 'plan_city') AS city
) plan
WHERE f.series = 'actual' AND (plan.province IS NOT NULL OR plan.city IS NOT NULL);
COMMENT ON VIEW mart.plan_progress IS 'Actual values against the year''s plans: any period of a year is compared with that year''s annual plan (bằng 51% kế hoạch tỉnh).';
COMMENT ON COLUMN mart.plan_progress.unit_code IS 'GSO code of the unit.';
COMMENT ON COLUMN mart.plan_progress.unit_key IS 'Exact unit version (see dim_unit).';
COMMENT ON COLUMN mart.plan_progress.indicator_code IS 'Indicator.';
COMMENT ON COLUMN mart.plan_progress.period_code IS 'Period of the actual value (a month, quarter, half, year to date or the year).';
COMMENT ON COLUMN mart.plan_progress.value IS 'Actual value (series actual).';
COMMENT ON COLUMN mart.plan_progress.status IS 'Status of the actual value (an estimate stays an estimate).';
COMMENT ON COLUMN mart.plan_progress.plan_province IS 'The year''s plan assigned by the province (KH tỉnh giao).';
COMMENT ON COLUMN mart.plan_progress.plan_city IS 'The year''s plan set by the city (KH thành phố).';
COMMENT ON COLUMN mart.plan_progress.pct_of_plan_province IS 'value / plan_province × 100. Full precision; round when displaying.';
COMMENT ON COLUMN mart.plan_progress.pct_of_plan_city IS 'value / plan_city × 100. Full precision; round when displaying.';

CREATE VIEW mart.annual_growth AS
SELECT a.unit_code, a.unit_key, a.indicator_code, a.series,
       ya.year AS from_year, yb.year AS to_year, a.value AS value_from, b.value AS value_to,
       CASE WHEN a.value > 0 AND b.value >= 0
            THEN (power(b.value / a.value, 1.0 / (yb.year - ya.year)) - 1) * 100 END AS avg_annual_growth_pct
FROM mart.fact_value a
JOIN core.period ya ON ya.code = a.period_code AND ya.type = 'year'
JOIN mart.fact_value b ON b.unit_key = a.unit_key AND b.indicator_code = a.indicator_code AND b.series = a.series
JOIN core.period yb ON yb.code = b.period_code AND yb.type = 'year' AND yb.year > ya.year;
COMMENT ON VIEW mart.annual_growth IS 'Average annual (compound) growth between any two years with values (tăng bình quân/năm).';
COMMENT ON COLUMN mart.annual_growth.unit_code IS 'GSO code of the unit.';
COMMENT ON COLUMN mart.annual_growth.unit_key IS 'Exact unit version (see dim_unit).';
COMMENT ON COLUMN mart.annual_growth.indicator_code IS 'Indicator.';
COMMENT ON COLUMN mart.annual_growth.series IS 'actual, plan_province or plan_city.';
COMMENT ON COLUMN mart.annual_growth.from_year IS 'Base year.';
COMMENT ON COLUMN mart.annual_growth.to_year IS 'End year.';
COMMENT ON COLUMN mart.annual_growth.value_from IS 'Value in the base year.';
COMMENT ON COLUMN mart.annual_growth.value_to IS 'Value in the end year.';
COMMENT ON COLUMN mart.annual_growth.avg_annual_growth_pct IS '((value_to / value_from) ^ (1 / years) − 1) × 100; NULL when the base is not positive.';

-- Resolution targets: level targets use the latest year's value; yearly-growth targets hold when
-- every year meets the threshold (the weakest year is shown); average-growth targets compound from
-- the year before the target period starts (or its first year) to the latest year with a value.
CREATE VIEW mart.target_progress AS
WITH targets AS (
  SELECT t.*, u.unit_key
  FROM core.target t
  LEFT JOIN core.unit u ON u.code = t.unit_code
   AND u.valid_from <= make_date(t.from_period::int, 12, 31)
   AND (u.valid_to IS NULL OR u.valid_to >= make_date(t.from_period::int, 12, 31))
),
yearly AS (
  -- Year values of each target's unit and indicator, with the growth over the year before
  -- (computed here rather than through mart.growth: 20× faster on a real warehouse).
  SELECT t.target_id, p.year, f.value,
         CASE WHEN lag(p.year) OVER w = p.year - 1 AND lag(f.value) OVER w <> 0
              THEN (f.value / lag(f.value) OVER w - 1) * 100 END AS yoy_pct
  FROM targets t
  JOIN mart.fact_value f ON f.unit_key = t.unit_key AND f.indicator_code = t.indicator_code AND f.series = 'actual'
  JOIN core.period p ON p.code = f.period_code AND p.type = 'year'
  WHERE p.year BETWEEN t.from_period::int - 1 AND t.deadline_period::int
  WINDOW w AS (PARTITION BY t.target_id ORDER BY p.year)
),
measured AS (
  SELECT t.target_id,
         (SELECT max(y.year) FROM yearly y WHERE y.target_id = t.target_id AND y.year >= t.from_period::int
            AND (t.metric <> 'yoy_growth_pct' OR y.yoy_pct IS NOT NULL)) AS latest_year,
         (SELECT min(y.year) FROM yearly y WHERE y.target_id = t.target_id) AS base_year
  FROM targets t
),
metric AS (
  SELECT t.target_id, m.latest_year, m.base_year,
         latest.value AS latest_value, base.value AS base_value,
         CASE t.metric
           WHEN 'level' THEN latest.value
           WHEN 'yoy_growth_pct' THEN (
             SELECT CASE WHEN t.comparator IN ('>', '>=') THEN min(y.yoy_pct) ELSE max(y.yoy_pct) END
             FROM yearly y WHERE y.target_id = t.target_id AND y.year >= t.from_period::int AND y.yoy_pct IS NOT NULL)
           WHEN 'avg_annual_growth_pct' THEN
             CASE WHEN m.latest_year > m.base_year AND base.value > 0
                  THEN (power(latest.value / base.value, 1.0 / (m.latest_year - m.base_year)) - 1) * 100 END
         END AS metric_value
  FROM targets t
  JOIN measured m ON m.target_id = t.target_id
  LEFT JOIN yearly latest ON latest.target_id = t.target_id AND latest.year = m.latest_year
  LEFT JOIN yearly base ON base.target_id = t.target_id AND base.year = m.base_year
)
SELECT t.target_id, t.unit_code, t.indicator_code, t.metric, t.comparator, t.threshold,
       t.from_period, t.deadline_period, t.reference,
       m.metric_value, m.latest_year, m.latest_value, m.base_year, m.base_value,
       CASE
         WHEN m.metric_value IS NULL THEN 'no_data'
         WHEN NOT (CASE t.comparator WHEN '>' THEN m.metric_value > t.threshold WHEN '>=' THEN m.metric_value >= t.threshold
                                     WHEN '<' THEN m.metric_value < t.threshold ELSE m.metric_value <= t.threshold END) THEN 'off_track'
         WHEN m.latest_year >= t.deadline_period::int THEN 'achieved'
         ELSE 'on_track'
       END AS status
FROM targets t
JOIN metric m ON m.target_id = t.target_id;
COMMENT ON VIEW mart.target_progress IS 'Resolution targets (schemas/targets.csv) with the numbers behind their status.';
COMMENT ON COLUMN mart.target_progress.target_id IS 'Target id.';
COMMENT ON COLUMN mart.target_progress.unit_code IS 'Unit the target is set for.';
COMMENT ON COLUMN mart.target_progress.indicator_code IS 'Indicator.';
COMMENT ON COLUMN mart.target_progress.metric IS 'level, yoy_growth_pct (every year) or avg_annual_growth_pct (compound).';
COMMENT ON COLUMN mart.target_progress.comparator IS 'How metric_value must compare with threshold.';
COMMENT ON COLUMN mart.target_progress.threshold IS 'Threshold of the target.';
COMMENT ON COLUMN mart.target_progress.from_period IS 'First year of the target period.';
COMMENT ON COLUMN mart.target_progress.deadline_period IS 'Year by which the target is due.';
COMMENT ON COLUMN mart.target_progress.reference IS 'The resolution the target comes from.';
COMMENT ON COLUMN mart.target_progress.metric_value IS 'The measured value compared with threshold.';
COMMENT ON COLUMN mart.target_progress.latest_year IS 'Latest year with a value in the target period.';
COMMENT ON COLUMN mart.target_progress.latest_value IS 'Value in latest_year.';
COMMENT ON COLUMN mart.target_progress.base_year IS 'Base year of the growth (the year before the target period, or its first year).';
COMMENT ON COLUMN mart.target_progress.base_value IS 'Value in base_year.';
COMMENT ON COLUMN mart.target_progress.status IS 'achieved (met at the deadline), on_track (met so far), off_track (not met), no_data.';

-- One row per expected submission slot whose deadline has passed or that has a submission; the
-- grid names each ward as it was called in the period and judges the time the file was dropped.
CREATE VIEW mart.completeness AS
WITH slots AS (
  SELECT e.expectation_id, s.source_id, e.form_id, p.code AS period_code, p.end_date,
         p.end_date + COALESCE(e.deadline_days, f.deadline_days, 5) AS deadline
  FROM core.expectation e
  JOIN core.period pf ON pf.code = e.from_period
  LEFT JOIN core.period pt ON pt.code = e.to_period
  JOIN core.period p ON p.type = e.frequency AND p.start_date >= pf.start_date
   AND (pt.code IS NULL OR p.end_date <= pt.end_date)
   AND p.start_date <= current_date
  LEFT JOIN core.form f ON f.form_id = e.form_id
  JOIN core.source s ON (
        (e.source_spec NOT LIKE 'units-of:%' AND s.source_id = e.source_spec)
     OR (e.source_spec LIKE 'units-of:%' AND s.kind = 'unit' AND EXISTS (
          SELECT 1 FROM core.unit u
          JOIN core.unit_ancestor ua ON ua.unit_key = u.unit_key
          JOIN core.unit a ON a.unit_key = ua.ancestor_key AND ua.depth > 0
          WHERE u.code = s.scope_unit_code AND a.code = substr(e.source_spec, 10)
            AND u.valid_from <= p.end_date AND (u.valid_to IS NULL OR u.valid_to >= p.end_date))))
),
matched AS (
  SELECT sl.*,
         min(COALESCE(sub.submitted_at, sub.received_at)) FILTER (WHERE sub.state IN ('loaded', 'staged', 'received')) AS first_accepted_at,
         count(sub.submission_id) FILTER (WHERE sub.state = 'rejected') AS rejected_files,
         count(sub.submission_id) FILTER (WHERE sub.state IN ('loaded', 'staged', 'received')) AS accepted_files,
         max(COALESCE(sub.submitted_at, sub.received_at)) AS last_received_at
  FROM slots sl
  LEFT JOIN core.submission sub
    ON sub.source_id = sl.source_id AND sl.period_code = ANY (sub.periods)
   AND ((sl.form_id = 'long' AND sub.form_id IS NULL) OR sub.form_id = sl.form_id)
   AND sub.state <> 'duplicate'
  GROUP BY sl.expectation_id, sl.source_id, sl.form_id, sl.period_code, sl.end_date, sl.deadline
)
SELECT m.source_id,
       COALESCE((SELECT u.name FROM core.unit u
                 WHERE src.kind = 'unit' AND u.code = src.scope_unit_code
                   AND u.valid_from <= m.end_date AND (u.valid_to IS NULL OR u.valid_to >= m.end_date)), src.name) AS source_name,
       m.form_id, m.period_code, m.deadline,
       CASE
         WHEN m.accepted_files > 0 AND (m.first_accepted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= m.deadline THEN 'on_time'
         WHEN m.accepted_files > 0 THEN 'late'
         WHEN m.rejected_files > 0 THEN 'rejected'
         ELSE 'missing'
       END AS status,
       m.first_accepted_at, m.last_received_at, m.accepted_files, m.rejected_files
FROM matched m
JOIN core.source src ON src.source_id = m.source_id
WHERE m.accepted_files > 0 OR m.rejected_files > 0 OR m.deadline < current_date;
COMMENT ON VIEW mart.completeness IS 'Expected submissions (schemas/expectations.csv) per source, form and period: on_time, late, missing or rejected.';
COMMENT ON COLUMN mart.completeness.source_id IS 'Ward/commune code or department id.';
COMMENT ON COLUMN mart.completeness.source_name IS 'Name of the source (a ward''s name in that period).';
COMMENT ON COLUMN mart.completeness.form_id IS 'Form of the expected table, or long for a long-format report.';
COMMENT ON COLUMN mart.completeness.period_code IS 'Period the submission is for.';
COMMENT ON COLUMN mart.completeness.deadline IS 'Last day to submit on time (period end + the form''s deadline days, default 5).';
COMMENT ON COLUMN mart.completeness.status IS 'on_time, late (accepted after the deadline), rejected (only rejected files so far), missing (nothing after the deadline).';
COMMENT ON COLUMN mart.completeness.first_accepted_at IS 'When the first accepted file was dropped.';
COMMENT ON COLUMN mart.completeness.last_received_at IS 'When the latest file for the slot was dropped.';
COMMENT ON COLUMN mart.completeness.accepted_files IS 'Accepted files for the slot.';
COMMENT ON COLUMN mart.completeness.rejected_files IS 'Rejected files for the slot.';
