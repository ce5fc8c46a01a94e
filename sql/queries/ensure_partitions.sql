-- Make the year partitions a staged submission's values go to (see migration 006). Runs in its own
-- short transaction before the load: creating a partition locks the parent table.
-- $1 submission id.
SELECT core.ensure_year_partitions(ARRAY(
  SELECT DISTINCT left(period, 4)::integer
  FROM core.submission s, unnest(s.periods) AS period
  WHERE s.submission_id = $1
)) AS created;
