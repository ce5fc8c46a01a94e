-- Catalogue: administrative units (with validity ranges), indicators, sources, targets, periods,
-- forms and expected submissions.
-- Files in schemas/ are the source of truth; `dstats catalog sync` upserts them here.

CREATE SCHEMA IF NOT EXISTS core;

CREATE TABLE core.unit (
  unit_key     serial PRIMARY KEY,
  code         text NOT NULL,
  name         text NOT NULL,
  type         text NOT NULL,          -- province, city, district, town, ward, commune, township
  level        smallint NOT NULL,      -- 1 province, 2 city/district (or new ward), 3 old ward/commune
  parent_code  text,
  parent_key   integer REFERENCES core.unit (unit_key),
  valid_from   date NOT NULL,
  valid_to     date,                   -- inclusive; NULL means still valid
  aliases      text[] NOT NULL DEFAULT '{}',
  -- The same GSO code can mean different units in different periods (codes were reused in 2025).
  UNIQUE (code, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX unit_parent_idx ON core.unit (parent_key);

-- Every (unit, ancestor) pair including the unit itself at depth 0; rebuilt by catalog sync.
CREATE TABLE core.unit_ancestor (
  unit_key      integer NOT NULL REFERENCES core.unit (unit_key) ON DELETE CASCADE,
  ancestor_key  integer NOT NULL REFERENCES core.unit (unit_key) ON DELETE CASCADE,
  depth         smallint NOT NULL,
  PRIMARY KEY (unit_key, ancestor_key)
);
CREATE INDEX unit_ancestor_ancestor_idx ON core.unit_ancestor (ancestor_key);

CREATE TABLE core.unit_crosswalk (
  old_code        text NOT NULL,
  new_code        text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('full', 'partial')),
  effective_date  date NOT NULL,
  weight          numeric,            -- share of the old unit going to the new one (partial only)
  PRIMARY KEY (old_code, new_code, effective_date)
);

CREATE TABLE core.indicator (
  code                text PRIMARY KEY,
  domain              text NOT NULL,
  name_vi             text NOT NULL,
  name_en             text NOT NULL,
  uom                 text NOT NULL,
  aggregation         text NOT NULL CHECK (aggregation IN ('sum', 'weighted_mean', 'count_true', 'none')),
  weight_indicator    text,
  period_aggregation  text NOT NULL CHECK (period_aggregation IN ('sum', 'last', 'none')),
  min_value           numeric,
  max_value           numeric,
  better              text CHECK (better IN ('higher', 'lower')),
  aliases             text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE core.source (
  source_id          text PRIMARY KEY,
  name               text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('unit', 'department')),
  scope              text NOT NULL CHECK (scope IN ('self', 'descendants')),
  scope_unit_code    text NOT NULL,
  locale             text,              -- NULL: not configured (number convention must come from the file)
  accept_valid_rows  boolean NOT NULL DEFAULT false
);

CREATE TABLE core.target (
  target_id        serial PRIMARY KEY,
  unit_code        text NOT NULL,
  indicator_code   text NOT NULL REFERENCES core.indicator (code),
  metric           text NOT NULL CHECK (metric IN ('level', 'yoy_growth_pct', 'avg_annual_growth_pct')),
  comparator       text NOT NULL CHECK (comparator IN ('>', '>=', '<', '<=')),
  threshold        numeric NOT NULL,
  from_period      text NOT NULL,
  deadline_period  text NOT NULL,
  reference        text,
  UNIQUE (unit_code, indicator_code, metric, deadline_period)
);

-- Every period code the pipeline can meet, generated once so BI tools can join a calendar.
CREATE TABLE core.period (
  code        text PRIMARY KEY,
  type        text NOT NULL CHECK (type IN ('year', 'half', 'quarter', 'month', 'ytd')),
  year        smallint NOT NULL,
  half        smallint,
  quarter     smallint,
  month       smallint,
  months      smallint NOT NULL,
  start_date  date NOT NULL,
  end_date    date NOT NULL
);

INSERT INTO core.period (code, type, year, half, quarter, month, months, start_date, end_date)
SELECT y::text, 'year', y, NULL::smallint, NULL::smallint, NULL::smallint, 12, make_date(y, 1, 1), make_date(y, 12, 31)
FROM generate_series(1990, 2100) AS y
UNION ALL
SELECT y::text || 'S' || h, 'half', y, h, NULL, NULL, 6,
       make_date(y, (h - 1) * 6 + 1, 1),
       (make_date(y, (h - 1) * 6 + 1, 1) + interval '6 months' - interval '1 day')::date
FROM generate_series(1990, 2100) AS y, generate_series(1, 2) AS h
UNION ALL
SELECT y::text || 'Q' || q, 'quarter', y, (q + 1) / 2, q, NULL, 3,
       make_date(y, (q - 1) * 3 + 1, 1),
       (make_date(y, (q - 1) * 3 + 1, 1) + interval '3 months' - interval '1 day')::date
FROM generate_series(1990, 2100) AS y, generate_series(1, 4) AS q
UNION ALL
SELECT y::text || lpad(m::text, 2, '0'), 'month', y, (m + 5) / 6, (m + 2) / 3, m, 1,
       make_date(y, m, 1),
       (make_date(y, m, 1) + interval '1 month' - interval '1 day')::date
FROM generate_series(1990, 2100) AS y, generate_series(1, 12) AS m
UNION ALL
SELECT y::text || 'YTD' || lpad(m::text, 2, '0'), 'ytd', y, NULL, NULL, m, m,
       make_date(y, 1, 1),
       (make_date(y, m, 1) + interval '1 month' - interval '1 day')::date
FROM generate_series(1990, 2100) AS y, generate_series(1, 12) AS m;

-- Form definitions for wide tables (one row per unit, one column per indicator), from schemas/forms/.
CREATE TABLE core.form (
  form_id        text PRIMARY KEY,
  name_vi        text NOT NULL,
  name_en        text NOT NULL,
  deadline_days  integer NOT NULL DEFAULT 5,   -- submissions are due this many days after the period ends
  definition     jsonb NOT NULL                -- unit headers and indicator columns (see schemas/forms/README.md)
);

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
