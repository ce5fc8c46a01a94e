-- Load one staged submission in one statement: observations, current values by precedence, the
-- years to roll up, staging emptied, submission loaded. Staging lost to a crash (row count short
-- of $3), or a catalogue sync since the file was checked (its units may be versions the sync
-- moved or removed; migration 021): nothing is loaded and the submission goes back to
-- 'received', to be checked again.
-- $1 submission id; $2 number convention ('vi', 'en', NULL: all read alike); $3 values
-- staged; $4, $5 its years as period-code bounds: only their partitions are planned and read
-- (src/db/period-bounds.ts); $6 its periods; $7 its units (NULL: not recorded); $8 its years
-- the caller holds exclusively (src/db/year-locks.ts; '{}' when it shares them); $9 the
-- catalogue version it was checked against (NULL: not recorded).
WITH staged AS (
  SELECT s.submission_id, s.row_no, s.unit_key, s.indicator_code, s.period_code, s.series, s.status, s.note,
         core.staged_number(s.value_vi, s.value_en, $2::text, s.factor) AS value
  FROM core.staged_value s
  WHERE s.submission_id = $1 AND s.period_code >= $4 AND s.period_code < $5
),
catalog_unchanged AS (
  SELECT $9::bigint IS NULL OR $9::bigint = (SELECT version FROM core.catalog_version) AS ok
),
intact AS (
  SELECT count(*) = $3::bigint AND (SELECT ok FROM catalog_unchanged) AS ok FROM staged
),
inserted AS (
  INSERT INTO core.observation (submission_id, row_no, unit_key, indicator_code, period_code, series, status, value, note)
  SELECT submission_id, row_no, unit_key, indicator_code, period_code, series, status, value, note
  FROM staged
  WHERE value IS NOT NULL AND (SELECT ok FROM intact)
  RETURNING observation_id, submission_id, unit_key, indicator_code, period_code, series, status, value
),
-- In a year no other load can write meanwhile ($8) and with no current value yet, nothing can
-- conflict: a plain INSERT, where the upsert would search the key index once more per row.
empty_years AS (
  SELECT y.year FROM unnest($8::smallint[]) AS y(year)
  WHERE NOT EXISTS (SELECT FROM core.current_value c
                    WHERE c.period_code >= y.year::text AND c.period_code < (y.year + 1)::text)
),
first_values AS (
  INSERT INTO core.current_value
    (unit_key, indicator_code, period_code, series, value, status, status_rank, observation_id, submission_id, updated_at)
  SELECT unit_key, indicator_code, period_code, series, value, status, core.status_rank(status), observation_id, submission_id, now()
  FROM inserted
  WHERE left(period_code, 4)::smallint IN (SELECT year FROM empty_years)
  RETURNING period_code
),
upserted AS (
  INSERT INTO core.current_value AS cur
    (unit_key, indicator_code, period_code, series, value, status, status_rank, observation_id, submission_id, updated_at)
  SELECT unit_key, indicator_code, period_code, series, value, status,
         core.status_rank(status),
         observation_id, submission_id, now()
  FROM inserted
  WHERE left(period_code, 4)::smallint NOT IN (SELECT year FROM empty_years)
  ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
    SET value = EXCLUDED.value, status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
        observation_id = EXCLUDED.observation_id, submission_id = EXCLUDED.submission_id, updated_at = now()
    -- official > preliminary > estimate; at equal status the later submission wins.
    WHERE (EXCLUDED.status_rank, EXCLUDED.submission_id) >= (cur.status_rank, cur.submission_id)
  RETURNING period_code
),
-- A reported value wins over a derived or rolled-up one, and the value tables keep that as they are
-- written (migration 012): those of the cells now reported go. A cell whose current value was kept
-- had none, so every inserted cell will do (and `inserted` is kept for the upsert anyway). The
-- caller holds the years against rollup passes (src/db/year-locks.ts). Each delete runs only if
-- its table can hold a value of the file's cells, checked once before any row is read: derived
-- values exist only for periods made of shorter ones (never for a month), rolled-up values only
-- for units with children, and neither in years not rolled up yet. The planner, expecting a few
-- staged rows, would otherwise hash every inserted row (1.2 s per 1,000,000) or probe the index
-- once per row (3.3 s) to find nothing, as for a department's monthly file of wards.
underived AS (
  DELETE FROM core.derived_value d USING inserted u
  WHERE d.unit_key = u.unit_key AND d.indicator_code = u.indicator_code AND d.period_code = u.period_code
    AND d.series = u.series AND d.period_code >= $4 AND d.period_code < $5
    AND EXISTS (SELECT FROM core.period_component c WHERE c.period_code = ANY ($6::text[]))
    AND EXISTS (SELECT FROM core.derived_value x WHERE x.period_code >= $4 AND x.period_code < $5)
),
unaggregated AS (
  DELETE FROM core.aggregate_value a USING inserted u
  WHERE a.unit_key = u.unit_key AND a.indicator_code = u.indicator_code AND a.period_code = u.period_code
    AND a.series = u.series AND a.period_code >= $4 AND a.period_code < $5
    AND EXISTS (SELECT FROM core.aggregate_value x WHERE x.period_code >= $4 AND x.period_code < $5
                AND ($7::integer[] IS NULL OR x.unit_key = ANY ($7::integer[])))
),
changed_years AS (
  SELECT DISTINCT left(period_code, 4)::smallint AS year FROM (TABLE upserted UNION ALL TABLE first_values) changed
),
pending AS (
  INSERT INTO core.rollup_pending (year, submission_id)
  SELECT year, $1 FROM changed_years
  ON CONFLICT DO NOTHING
),
unstaged AS (
  DELETE FROM core.staged_value WHERE submission_id = $1 AND period_code >= $4 AND period_code < $5
),
finished AS (
  UPDATE core.submission
  SET state = CASE WHEN (SELECT ok FROM intact) THEN 'loaded' ELSE 'received' END,
      values_loaded = CASE WHEN (SELECT ok FROM intact) THEN (SELECT count(*) FROM inserted)::int END,
      finished_at = CASE WHEN (SELECT ok FROM intact) THEN now() END
  WHERE submission_id = $1
)
SELECT (SELECT ok FROM intact) AS intact,
       (SELECT ok FROM catalog_unchanged) AS catalog_unchanged,
       (SELECT count(*) FROM inserted)::int AS values_loaded,
       COALESCE((SELECT array_agg(year ORDER BY year) FROM changed_years), '{}') AS years;
