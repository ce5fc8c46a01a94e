-- The value tables (current, derived, aggregate, comparable) partitioned by year like the
-- observations (006), so that a rollup, which works one claimed year at a time, reads and writes
-- only that year's partitions however many years the warehouse holds. Their primary keys already
-- contain period_code; partitions are made by core.ensure_year_partitions, which every load calls
-- for its years before writing (there is no default partition: a value of a year without one is a
-- bug, not something to park).

-- The views over these tables are bound to them, not to their names: keep each definition to bind
-- it again to the new table (CREATE OR REPLACE keeps the view, its comments and its grants).
CREATE TEMP TABLE view_to_rebind ON COMMIT DROP AS
SELECT DISTINCT v.oid::regclass::text AS view_name, pg_get_viewdef(v.oid) AS definition
FROM pg_depend d
JOIN pg_rewrite r ON r.oid = d.objid
JOIN pg_class v ON v.oid = r.ev_class
WHERE d.classid = 'pg_rewrite'::regclass
  AND d.refobjid IN ('core.current_value'::regclass, 'core.derived_value'::regclass,
                     'core.aggregate_value'::regclass, 'core.comparable_value'::regclass)
  AND v.oid <> d.refobjid;

DO $$
DECLARE
  t text;
  ix record;
BEGIN
  FOREACH t IN ARRAY ARRAY['current_value', 'derived_value', 'aggregate_value', 'comparable_value'] LOOP
    EXECUTE format('ALTER TABLE core.%I RENAME TO %I', t, t || '_unpartitioned');
    -- Free the index names (e.g. current_value_pkey) for the new table's indexes.
    FOR ix IN SELECT indexrelid::regclass::text AS qualified, c.relname
              FROM pg_index JOIN pg_class c ON c.oid = indexrelid
              WHERE indrelid = format('core.%I', t || '_unpartitioned')::regclass LOOP
      EXECUTE format('ALTER INDEX %s RENAME TO %I', ix.qualified, ix.relname || '_unpartitioned');
    END LOOP;
    -- Columns, defaults and checks of 002/003; keys and indexes below.
    EXECUTE format('CREATE TABLE core.%I (LIKE core.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (period_code)',
                   t, t || '_unpartitioned');
    EXECUTE format('ALTER TABLE core.%I ADD PRIMARY KEY (unit_key, indicator_code, period_code, series)', t);
  END LOOP;
END
$$;
CREATE INDEX current_value_cell_idx ON core.current_value (indicator_code, period_code, series);
CREATE INDEX derived_value_cell_idx ON core.derived_value (indicator_code, period_code, series);
CREATE INDEX aggregate_value_cell_idx ON core.aggregate_value (indicator_code, period_code, series);

-- Partitions for every table of a year: observations and the value tables (logged), staging
-- (unlogged; rows parked in its default partition move into the new one). Same contract as in 006.
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
  PERFORM pg_advisory_xact_lock(hashtext('dstats:partitions'));
  -- Wait for the loads, COPYs and rollups in flight, and hold the next ones back, until the new
  -- partitions are there. In the order loads and rollups take these tables (staging, history,
  -- current, derived, aggregate, comparable): another order could deadlock with them. Taking a
  -- table lock also brings this session's view of the catalogue up to date, so a partition
  -- another worker just made is seen below.
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

-- Move what is there.
SELECT core.ensure_year_partitions(ARRAY(
  SELECT DISTINCT left(period_code, 4)::integer FROM core.observation
  UNION SELECT DISTINCT left(period_code, 4)::integer FROM core.current_value_unpartitioned
  UNION SELECT DISTINCT left(period_code, 4)::integer FROM core.derived_value_unpartitioned
  UNION SELECT DISTINCT left(period_code, 4)::integer FROM core.aggregate_value_unpartitioned
  UNION SELECT DISTINCT left(period_code, 4)::integer FROM core.comparable_value_unpartitioned));
INSERT INTO core.current_value SELECT * FROM core.current_value_unpartitioned;
INSERT INTO core.derived_value SELECT * FROM core.derived_value_unpartitioned;
INSERT INTO core.aggregate_value SELECT * FROM core.aggregate_value_unpartitioned;
INSERT INTO core.comparable_value SELECT * FROM core.comparable_value_unpartitioned;

DO $$
DECLARE
  v record;
BEGIN
  FOR v IN SELECT view_name, definition FROM view_to_rebind LOOP
    EXECUTE format('CREATE OR REPLACE VIEW %s AS %s', v.view_name, v.definition);
  END LOOP;
END
$$;

DROP TABLE core.current_value_unpartitioned, core.derived_value_unpartitioned,
           core.aggregate_value_unpartitioned, core.comparable_value_unpartitioned;
