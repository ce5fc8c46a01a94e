-- BI sessions (the dstats_bi role) plan for a warehouse that is cached or on SSD. With the default
-- random_page_cost of 4, which assumes spinning disks, the planner reads every year partition of a
-- value table to find one unit's rows instead of probing each partition's index (one ward's yearly
-- history on 24 years: about 52 ms instead of 43). Set for this database only (the role is the
-- server's); dstats' own sessions keep the server's setting.
DO $$
BEGIN
  EXECUTE format('ALTER ROLE dstats_bi IN DATABASE %I SET random_page_cost = 1.1', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'may not alter role dstats_bi: run ALTER ROLE dstats_bi IN DATABASE … SET random_page_cost = 1.1 as a superuser (docs/warehouse.md)';
END
$$;
