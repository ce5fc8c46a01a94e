-- Make the staging partitions of years a file being read has values in (see migration 010). Runs
-- on its own, between two COPYs: creating a partition locks the staging table.
-- $1 the years.
SELECT core.ensure_staging_partitions($1::integer[]) AS created;
