-- The read-only role BI tools log in as. It sees the mart schema and nothing else. No password
-- here: an operator runs ALTER ROLE dstats_bi LOGIN PASSWORD '…' (see docs/warehouse.md).

DO $$
BEGIN
  CREATE ROLE dstats_bi NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles are per server: another database (or a parallel migration) created it already
END
$$;

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

REVOKE ALL ON SCHEMA core FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA mart TO dstats_bi;
GRANT SELECT ON ALL TABLES IN SCHEMA mart TO dstats_bi;
-- Views created by later migrations are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA mart GRANT SELECT ON TABLES TO dstats_bi;

-- No temporary tables for anyone but dstats itself (they would be somewhere to write).
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), current_user);
END
$$;
