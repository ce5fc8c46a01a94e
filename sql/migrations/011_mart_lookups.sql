-- Three mart views looked rows up in ways that made the queries of docs/warehouse.md slow on a
-- warehouse of 2,000,000 observations (measured by `npm run bench`, bi_query_ms_*):
-- * observation_history marked the current value by joining current_value on observation_id,
--   which has no index and says nothing of the year: every current value of every year was read
--   (225 ms for the history of one cell). It now joins on the cell's key as well, which is the
--   current values' primary key and carries the period, so one row of one partition is read.
-- * target_progress joined fact_value on each target's unit and indicator. fact_value is a union
--   of three tables, and a join condition does not reach inside it, so every actual value was read
--   and hashed (650 ms). It now looks each year of a target's period up by its full key.
-- * plan_progress looked the province's and the city's plan up separately, two subqueries over
--   fact_value, each planned over every year's partitions of its three tables. One lookup now
--   reads both (the city's half-year report: about a third less planning and execution).
-- Same columns, same rows; grants and comments stay with the views.

CREATE OR REPLACE VIEW mart.observation_history AS
SELECT o.observation_id, u.code AS unit_code, o.unit_key, o.indicator_code, o.period_code, o.series,
       o.status, o.value, o.submission_id, s.source_id, s.file_name, o.row_no, o.loaded_at,
       (c.observation_id IS NOT NULL) AS is_current
FROM core.observation o
JOIN core.unit u ON u.unit_key = o.unit_key
JOIN core.submission s ON s.submission_id = o.submission_id
LEFT JOIN core.current_value c
  ON c.unit_key = o.unit_key AND c.indicator_code = o.indicator_code AND c.period_code = o.period_code
 AND c.series = o.series AND c.observation_id = o.observation_id;

-- Resolution targets: level targets use the latest year's value; yearly-growth targets hold when
-- every year meets the threshold (the weakest year is shown); average-growth targets compound from
-- the year before the target period starts (or its first year) to the latest year with a value.
CREATE OR REPLACE VIEW mart.target_progress AS
WITH targets AS (
  SELECT t.*, u.unit_key
  FROM core.target t
  LEFT JOIN core.unit u ON u.code = t.unit_code
   AND u.valid_from <= make_date(t.from_period::int, 12, 31)
   AND (u.valid_to IS NULL OR u.valid_to >= make_date(t.from_period::int, 12, 31))
),
target_year AS MATERIALIZED (
  -- The value of each year of a target's period (and the year before it), looked up by its cell's
  -- key: Postgres reads one year's partitions per lookup, where a join to fact_value would read
  -- every actual value of the warehouse. MATERIALIZED, so that the lookup is planned once.
  SELECT t.target_id, p.year,
         (SELECT f.value FROM mart.fact_value f
          WHERE f.unit_key = t.unit_key AND f.indicator_code = t.indicator_code
            AND f.series = 'actual' AND f.period_code = p.code) AS value
  FROM targets t
  JOIN core.period p ON p.type = 'year' AND p.year BETWEEN t.from_period::int - 1 AND t.deadline_period::int
),
yearly AS (
  -- The years with a value, with the growth over the year before.
  SELECT target_id, year, value,
         CASE WHEN lag(year) OVER w = year - 1 AND lag(value) OVER w <> 0
              THEN (value / lag(value) OVER w - 1) * 100 END AS yoy_pct
  FROM target_year
  WHERE value IS NOT NULL
  WINDOW w AS (PARTITION BY target_id ORDER BY year)
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

CREATE OR REPLACE VIEW mart.plan_progress AS
SELECT f.unit_code, f.unit_key, f.indicator_code, f.period_code, f.value, f.status,
       plan.province AS plan_province, plan.city AS plan_city,
       f.value / NULLIF(plan.province, 0) * 100 AS pct_of_plan_province,
       f.value / NULLIF(plan.city, 0) * 100 AS pct_of_plan_city
FROM mart.fact_value f
JOIN core.period p ON p.code = f.period_code
CROSS JOIN LATERAL (
  -- The year's plans of the same unit and indicator (at most one value per series).
  SELECT max(pl.value) FILTER (WHERE pl.series = 'plan_province') AS province,
         max(pl.value) FILTER (WHERE pl.series = 'plan_city') AS city
  FROM mart.fact_value pl
  WHERE pl.unit_key = f.unit_key AND pl.indicator_code = f.indicator_code
    AND pl.period_code = p.year::text AND pl.series IN ('plan_province', 'plan_city')
) plan
WHERE f.series = 'actual' AND (plan.province IS NOT NULL OR plan.city IS NOT NULL);
