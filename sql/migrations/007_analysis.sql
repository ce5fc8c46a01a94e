-- Derived figures for analysts: growth, plan attainment, average annual growth, resolution targets,
-- submission completeness.

-- Who is expected to send what, how often (schemas/expectations.csv).
CREATE TABLE core.expectation (
  expectation_id  serial PRIMARY KEY,
  source_spec     text NOT NULL,      -- a source id, or units-of:<code> for every ward/commune below a unit
  form_id         text NOT NULL,      -- a form of schemas/forms, or 'long' for long-format reports
  frequency       text NOT NULL CHECK (frequency IN ('month', 'quarter', 'half', 'year')),
  from_period     text NOT NULL REFERENCES core.period (code),
  to_period       text REFERENCES core.period (code),
  deadline_days   integer,            -- NULL: the form's deadline (5 days for long format)
  UNIQUE (source_spec, form_id, frequency, from_period)
);

-- The periods a submission had values for, known even when it was rejected.
ALTER TABLE core.submission ADD COLUMN periods text[] NOT NULL DEFAULT '{}';

CREATE VIEW mart.growth AS
SELECT f.unit_code, f.unit_key, f.indicator_code, f.period_code, f.series, f.value, f.is_derived,
       prev.period_code AS period_last_year, prev.value AS value_last_year,
       CASE WHEN prev.value <> 0 THEN (f.value / prev.value - 1) * 100 END AS yoy_pct
FROM mart.fact_value f
JOIN core.period p ON p.code = f.period_code
LEFT JOIN mart.fact_value prev
  ON prev.unit_key = f.unit_key AND prev.indicator_code = f.indicator_code AND prev.series = f.series
 AND prev.period_code = (p.year - 1)::text || substr(f.period_code, 5);
COMMENT ON VIEW mart.growth IS 'Each value with the same period of the previous year and the growth between them (tăng so với cùng kỳ).';
COMMENT ON COLUMN mart.growth.unit_code IS 'GSO code of the unit.';
COMMENT ON COLUMN mart.growth.unit_key IS 'Exact unit version (see dim_unit).';
COMMENT ON COLUMN mart.growth.indicator_code IS 'Indicator.';
COMMENT ON COLUMN mart.growth.period_code IS 'Period of value.';
COMMENT ON COLUMN mart.growth.series IS 'actual, plan_province or plan_city.';
COMMENT ON COLUMN mart.growth.value IS 'Value in the period.';
COMMENT ON COLUMN mart.growth.is_derived IS 'Whether value was computed by dstats (see fact_value.derivation).';
COMMENT ON COLUMN mart.growth.period_last_year IS 'The same period one year earlier.';
COMMENT ON COLUMN mart.growth.value_last_year IS 'Value in that period; NULL if none.';
COMMENT ON COLUMN mart.growth.yoy_pct IS 'Growth in percent: value / value_last_year × 100 − 100 (bằng 107,22% so với cùng kỳ = 7.22). Full precision; round when displaying.';

CREATE VIEW mart.plan_progress AS
SELECT f.unit_code, f.unit_key, f.indicator_code, f.period_code, f.value, f.status,
       pp.value AS plan_province, pc.value AS plan_city,
       f.value / NULLIF(pp.value, 0) * 100 AS pct_of_plan_province,
       f.value / NULLIF(pc.value, 0) * 100 AS pct_of_plan_city
FROM mart.fact_value f
JOIN core.period p ON p.code = f.period_code
LEFT JOIN mart.fact_value pp
  ON pp.unit_key = f.unit_key AND pp.indicator_code = f.indicator_code AND pp.period_code = p.year::text AND pp.series = 'plan_province'
LEFT JOIN mart.fact_value pc
  ON pc.unit_key = f.unit_key AND pc.indicator_code = f.indicator_code AND pc.period_code = p.year::text AND pc.series = 'plan_city'
WHERE f.series = 'actual' AND (pp.value IS NOT NULL OR pc.value IS NOT NULL);
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
  SELECT t.target_id, p.year, g.value, g.yoy_pct
  FROM targets t
  JOIN mart.growth g ON g.unit_key = t.unit_key AND g.indicator_code = t.indicator_code AND g.series = 'actual'
  JOIN core.period p ON p.code = g.period_code AND p.type = 'year'
  WHERE p.year BETWEEN t.from_period::int - 1 AND t.deadline_period::int
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

-- One row per expected submission slot whose deadline has passed or that has a submission.
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
         min(sub.received_at) FILTER (WHERE sub.state IN ('loaded', 'staged', 'received')) AS first_accepted_at,
         count(sub.submission_id) FILTER (WHERE sub.state = 'rejected') AS rejected_files,
         count(sub.submission_id) FILTER (WHERE sub.state IN ('loaded', 'staged', 'received')) AS accepted_files,
         max(sub.received_at) AS last_received_at
  FROM slots sl
  LEFT JOIN core.submission sub
    ON sub.source_id = sl.source_id AND sl.period_code = ANY (sub.periods)
   AND ((sl.form_id = 'long' AND sub.form_id IS NULL) OR sub.form_id = sl.form_id)
   AND sub.state <> 'duplicate'
  GROUP BY sl.expectation_id, sl.source_id, sl.form_id, sl.period_code, sl.end_date, sl.deadline
)
SELECT m.source_id, src.name AS source_name, m.form_id, m.period_code, m.deadline,
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
COMMENT ON COLUMN mart.completeness.source_name IS 'Name of the source.';
COMMENT ON COLUMN mart.completeness.form_id IS 'Form of the expected table, or long for a long-format report.';
COMMENT ON COLUMN mart.completeness.period_code IS 'Period the submission is for.';
COMMENT ON COLUMN mart.completeness.deadline IS 'Last day to submit on time (period end + the form''s deadline days, default 5).';
COMMENT ON COLUMN mart.completeness.status IS 'on_time, late (accepted after the deadline), rejected (only rejected files so far), missing (nothing after the deadline).';
COMMENT ON COLUMN mart.completeness.first_accepted_at IS 'When the first accepted file arrived.';
COMMENT ON COLUMN mart.completeness.last_received_at IS 'When the latest file for the slot arrived.';
COMMENT ON COLUMN mart.completeness.accepted_files IS 'Accepted files for the slot.';
COMMENT ON COLUMN mart.completeness.rejected_files IS 'Rejected files for the slot.';
