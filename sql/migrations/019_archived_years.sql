-- Years an operator has taken out of the live database (docs/operations.md, "Partitions by year"):
-- a year table of the history or of the value tables that still exists but is no longer a
-- partition. A load into such a year would find no partition for its rows, and making one would
-- need the name the detached table holds, so the file's checks reject it first
-- (staged_problems.sql, YEAR_ARCHIVED). Every file asks, so it is cheap: the tables are looked up
-- by name, and PL/pgSQL keeps the plan for the session (0.06 ms a call, where a SQL function,
-- planned on every call, took 0.24 ms).
CREATE FUNCTION core.archived_years(years integer[]) RETURNS integer[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT COALESCE(array_agg(DISTINCT detached.year ORDER BY detached.year), '{}')
    FROM (SELECT substring(c.relname FROM '_y(\d+)$')::integer AS year
          FROM pg_class c
          WHERE c.relnamespace = 'core'::regnamespace AND NOT c.relispartition
            AND c.relname = ANY (SELECT t.name || '_y' || y.year
                                 FROM unnest(years) AS y(year),
                                      unnest(ARRAY['observation', 'current_value', 'derived_value', 'aggregate_value', 'comparable_value']) AS t(name))) detached);
END
$$;

-- As every dstats function: executable by dstats only (functions are everyone's unless revoked).
REVOKE EXECUTE ON FUNCTION core.archived_years(integer[]) FROM PUBLIC;
