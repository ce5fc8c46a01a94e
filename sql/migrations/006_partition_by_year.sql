-- Observations and staged rows, partitioned by year, so that a load or a rollup touches the
-- partitions of the years it has values in, and an old year can be archived or dropped as a whole.
-- Every period code begins with its year (2024, 2024S1, 2024Q3, 202409, 2024YTD09), so the year of
-- a row is the range ['2024', '2025') of its period_code and no extra column is needed.
-- Partitions are made on demand by core.ensure_year_partitions (the load stage calls it first).

-- History: rebuilt as a partitioned table, rows and id sequence kept.
ALTER TABLE core.observation RENAME TO observation_unpartitioned;
ALTER INDEX core.observation_pkey RENAME TO observation_unpartitioned_pkey;
ALTER INDEX core.observation_submission_idx RENAME TO observation_unpartitioned_submission_idx;
ALTER INDEX core.observation_key_idx RENAME TO observation_unpartitioned_key_idx;

-- The columns, defaults (the id sequence) and checks of 002; the primary key must include the
-- partition key.
CREATE TABLE core.observation (
  LIKE core.observation_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  PRIMARY KEY (observation_id, period_code)
) PARTITION BY RANGE (period_code);
ALTER SEQUENCE core.observation_observation_id_seq OWNED BY core.observation.observation_id;
CREATE INDEX observation_submission_idx ON core.observation (submission_id);
CREATE INDEX observation_key_idx ON core.observation (unit_key, indicator_code, period_code, series);

-- Staging: the partitions are unlogged (a partitioned parent cannot be). The default partition
-- takes the rows of a year met for the first time, until the load makes that year's partition.
ALTER TABLE core.staged_value RENAME TO staged_value_unpartitioned;
ALTER INDEX core.staged_value_submission_idx RENAME TO staged_value_unpartitioned_submission_idx;

CREATE TABLE core.staged_value (LIKE core.staged_value_unpartitioned) PARTITION BY RANGE (period_code);
CREATE UNLOGGED TABLE core.staged_value_default PARTITION OF core.staged_value DEFAULT;
CREATE INDEX staged_value_submission_idx ON core.staged_value (submission_id);

-- Creates the missing partitions of the given years; returns how many it created. One caller at a
-- time (a transaction-scoped lock), so two workers never race to create the same partition.
CREATE FUNCTION core.ensure_year_partitions(years integer[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  y integer;
  created integer := 0;
BEGIN
  -- Nearly always there is nothing to make: answer without waiting for the lock.
  IF NOT EXISTS (SELECT 1 FROM unnest(years) AS wanted(year)
                 WHERE to_regclass(format('core.observation_y%s', wanted.year)) IS NULL
                    OR to_regclass(format('core.staged_value_y%s', wanted.year)) IS NULL) THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('dstats:partitions'));
  -- Wait for the loads and COPYs in flight, and hold the next ones back, until the new partitions
  -- are there: a COPY that had started would still route a new year to the default partition.
  -- Staging first, as loads lock it (reading their staged rows) before the observations: the
  -- other order deadlocks with a load. Taking a table lock also brings this session's view of the
  -- catalogue up to date, so a partition another worker just made is seen below.
  LOCK TABLE core.staged_value, core.observation IN ACCESS EXCLUSIVE MODE;
  FOREACH y IN ARRAY ARRAY(SELECT DISTINCT unnest(years) ORDER BY 1) LOOP
    IF to_regclass(format('core.observation_y%s', y)) IS NULL THEN
      EXECUTE format('CREATE TABLE core.%I PARTITION OF core.observation FOR VALUES FROM (%L) TO (%L)',
                     'observation_y' || y, y::text, (y + 1)::text);
      created := created + 1;
    END IF;
    IF to_regclass(format('core.staged_value_y%s', y)) IS NULL THEN
      -- Rows of that year already staged (in the default partition) move into the new one.
      EXECUTE format('CREATE UNLOGGED TABLE core.%I (LIKE core.staged_value)', 'staged_value_y' || y);
      EXECUTE format('WITH moved AS (DELETE FROM core.staged_value_default WHERE period_code >= %L AND period_code < %L RETURNING *)
                      INSERT INTO core.%I SELECT * FROM moved', y::text, (y + 1)::text, 'staged_value_y' || y);
      EXECUTE format('ALTER TABLE core.staged_value ATTACH PARTITION core.%I FOR VALUES FROM (%L) TO (%L)',
                     'staged_value_y' || y, y::text, (y + 1)::text);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;

-- Only dstats makes partitions (functions are executable by everyone unless revoked).
REVOKE EXECUTE ON FUNCTION core.ensure_year_partitions(integer[]) FROM PUBLIC;

-- Move what is there (a database made before this migration).
SELECT core.ensure_year_partitions(ARRAY(
  SELECT DISTINCT left(period_code, 4)::integer FROM core.observation_unpartitioned
  UNION SELECT DISTINCT left(period_code, 4)::integer FROM core.staged_value_unpartitioned));
INSERT INTO core.observation SELECT * FROM core.observation_unpartitioned;
INSERT INTO core.staged_value SELECT * FROM core.staged_value_unpartitioned;

-- The history view is bound to the old table: the same definition again binds it to the new one
-- (the view, its comments and grants stay).
CREATE OR REPLACE VIEW mart.observation_history AS
SELECT o.observation_id, u.code AS unit_code, o.unit_key, o.indicator_code, o.period_code, o.series,
       o.status, o.value, o.submission_id, s.source_id, s.file_name, o.row_no, o.loaded_at,
       (c.observation_id IS NOT NULL) AS is_current
FROM core.observation o
JOIN core.unit u ON u.unit_key = o.unit_key
JOIN core.submission s ON s.submission_id = o.submission_id
LEFT JOIN core.current_value c ON c.observation_id = o.observation_id;

DROP TABLE core.observation_unpartitioned;
DROP TABLE core.staged_value_unpartitioned;

-- Periods by their last day (the rollup asks which periods end on a given day).
CREATE INDEX period_end_date_idx ON core.period (end_date);
