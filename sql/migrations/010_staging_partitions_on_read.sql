-- The staging partition of a year is made while a file is read (normalise), at the first value of
-- a year that has none, so the file's rows are copied straight into their year's partition. Until
-- now they waited in core.staged_value_default, and the load moved them out when it made the
-- year's partitions: 3.6 s for the 1,000,000 rows of a department's history, under a lock that
-- held every other load back. Only the staging partition: a file read is not yet a file loaded,
-- and the partitions of the history and value tables still wait for its load
-- (core.ensure_year_partitions, which then finds the staging partition there and moves nothing).
-- Returns how many partitions it made.
CREATE FUNCTION core.ensure_staging_partitions(years integer[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  y integer;
  created integer := 0;
BEGIN
  -- Nearly always there is nothing to make: answer without waiting for the lock.
  IF NOT EXISTS (SELECT 1 FROM unnest(years) AS wanted(year)
                 WHERE to_regclass(format('core.staged_value_y%s', wanted.year)) IS NULL) THEN
    RETURN 0;
  END IF;
  -- The lock core.ensure_year_partitions takes, then staging, the first table it locks: one
  -- maker at a time, in the same order, and the COPYs in flight finish first (a COPY that had
  -- started would still route the new year's rows to the default partition, moved below).
  PERFORM pg_advisory_xact_lock(hashtext('dstats:partitions'));
  LOCK TABLE core.staged_value IN ACCESS EXCLUSIVE MODE;
  FOREACH y IN ARRAY ARRAY(SELECT DISTINCT unnest(years) ORDER BY 1) LOOP
    IF to_regclass(format('core.staged_value_y%s', y)) IS NULL THEN
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
REVOKE EXECUTE ON FUNCTION core.ensure_staging_partitions(integer[]) FROM PUBLIC;

-- The load's function (migration 007) makes the other partitions of a year, and its staging
-- partition through the function above, so that a staging partition is made one way only.
CREATE OR REPLACE FUNCTION core.ensure_year_partitions(years integer[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  logged CONSTANT text[] := ARRAY['observation', 'current_value', 'derived_value', 'aggregate_value', 'comparable_value'];
  y integer;
  t text;
  created integer := 0;
BEGIN
  -- Nearly always there is nothing to make: answer without waiting for the lock.
  IF NOT EXISTS (SELECT 1 FROM unnest(years) AS wanted(year), unnest(logged || 'staged_value'::text) AS tbl(name)
                 WHERE to_regclass(format('core.%I', tbl.name || '_y' || wanted.year)) IS NULL) THEN
    RETURN 0;
  END IF;
  -- As in 007: one maker at a time, the tables locked in the order loads and rollups take them.
  PERFORM pg_advisory_xact_lock(hashtext('dstats:partitions'));
  LOCK TABLE core.staged_value, core.observation, core.current_value, core.derived_value,
             core.aggregate_value, core.comparable_value IN ACCESS EXCLUSIVE MODE;
  FOREACH y IN ARRAY ARRAY(SELECT DISTINCT unnest(years) ORDER BY 1) LOOP
    FOREACH t IN ARRAY logged LOOP
      IF to_regclass(format('core.%I', t || '_y' || y)) IS NULL THEN
        EXECUTE format('CREATE TABLE core.%I PARTITION OF core.%I FOR VALUES FROM (%L) TO (%L)',
                       t || '_y' || y, t, y::text, (y + 1)::text);
        created := created + 1;
      END IF;
    END LOOP;
  END LOOP;
  RETURN created + core.ensure_staging_partitions(years);
END
$$;
