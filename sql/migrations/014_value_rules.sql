-- Rules that several statements must apply alike, written once. Each is a single SQL expression
-- and not STRICT, so the planner inlines it (EXPLAIN VERBOSE shows the plain expression): no
-- function call per row, and a custom plan still folds a CASE on a known parameter.

-- Which reading of a staged number counts under the file's number convention: the checks
-- (staged_problems.sql) and the load (load_submission.sql).
CREATE FUNCTION core.staged_number(value_vi numeric, value_en numeric, convention text, factor numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE convention WHEN 'vi' THEN value_vi WHEN 'en' THEN value_en
              ELSE COALESCE(value_vi, value_en) END * factor
$$;
COMMENT ON FUNCTION core.staged_number(numeric, numeric, text, numeric) IS
  'The value of a staged number: its vi or en reading under the convention (NULL: whichever was read), times the column factor.';

-- Statuses in order of strength: the precedence of the load, and the weakest status a sum,
-- a derived period or a comparable series carries (the minimum rank of its parts).
CREATE FUNCTION core.status_rank(status text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE status WHEN 'official' THEN 3 WHEN 'preliminary' THEN 2 WHEN 'estimate' THEN 1 END
$$;
COMMENT ON FUNCTION core.status_rank(text) IS
  'official 3 > preliminary 2 > estimate 1; NULL for no status (a missing value).';

CREATE FUNCTION core.status_of_rank(status_rank integer)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT (ARRAY['estimate', 'preliminary', 'official'])[status_rank]
$$;
COMMENT ON FUNCTION core.status_of_rank(integer) IS 'The status of a rank of core.status_rank; NULL for NULL.';

-- dstats' own: the BI role calls no function of core (migration 005 keeps it to the mart).
REVOKE EXECUTE ON FUNCTION core.staged_number(numeric, numeric, text, numeric) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION core.status_rank(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION core.status_of_rank(integer) FROM PUBLIC;
