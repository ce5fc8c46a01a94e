-- Which reading of a staged number counts under the file's number convention. The checks
-- (staged_problems.sql) and the load (load_submission.sql) must agree on it, so it is written once.
-- A single SQL expression, not STRICT: the planner inlines it, so a load of 1,000,000 rows makes
-- no function call per row and a custom plan still folds the CASE on the known convention.
CREATE FUNCTION core.staged_number(value_vi numeric, value_en numeric, convention text, factor numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE convention WHEN 'vi' THEN value_vi WHEN 'en' THEN value_en
              ELSE COALESCE(value_vi, value_en) END * factor
$$;
COMMENT ON FUNCTION core.staged_number(numeric, numeric, text, numeric) IS
  'The value of a staged number: its vi or en reading under the convention (NULL: whichever was read), times the column factor.';
