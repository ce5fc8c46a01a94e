-- BI sessions (the dstats_bi role) plan without parallel workers. A worker is a new process that
-- opens every partition its plan touches (each value table has one per year, with its indexes)
-- before it reads a row; over 24 years that start-up took longer than the work it shared, for the
-- narrow queries of a dashboard and for a scan of a whole year alike (one ward's yearly history:
-- medians of 115–139 ms with two workers, 45–67 ms without, on two cores). Set for this database
-- only, like random_page_cost (008); dstats' own sessions keep the server's setting.
DO $$
BEGIN
  EXECUTE format('ALTER ROLE dstats_bi IN DATABASE %I SET max_parallel_workers_per_gather = 0', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'may not alter role dstats_bi: run ALTER ROLE dstats_bi IN DATABASE … SET max_parallel_workers_per_gather = 0 as a superuser (docs/warehouse.md)';
END
$$;
