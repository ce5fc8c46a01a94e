-- The read-only role BI tools log in as. It sees the mart schema and nothing else. No password
-- here: an operator runs ALTER ROLE dstats_bi LOGIN PASSWORD '…' (see docs/warehouse.md).

DO $$
BEGIN
  CREATE ROLE dstats_bi NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles are per server: another database (or a parallel migration) created it already
END
$$;

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

-- BI queries go through views whose cost estimates are large; JIT compilation then costs more
-- than the query itself (0.5 s vs 20 ms for mart.completeness). Off for this database.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'not the database owner: set jit = off for BI sessions yourself (docs/warehouse.md)';
END
$$;
