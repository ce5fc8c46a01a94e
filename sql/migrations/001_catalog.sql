-- Catalogue: administrative units (with validity ranges), indicators, sources, targets, periods.
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
