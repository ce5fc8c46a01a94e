-- Make the year partitions a staged submission's values go to (see migration 006). Runs in its own
-- short transaction before the load: creating a partition locks the parent table. Unless one of
-- those years was taken out of the live database since the file was staged (migration 019): then
-- nothing is made, and `archived` names the years.
-- $1 submission id.
WITH file AS (
  SELECT ARRAY(
    SELECT DISTINCT left(period, 4)::integer
    FROM core.submission s, unnest(s.periods) AS period
    WHERE s.submission_id = $1
  ) AS years
), archived AS (
  SELECT core.archived_years(file.years) AS years FROM file
)
SELECT archived.years AS archived,
       CASE WHEN cardinality(archived.years) = 0 THEN core.ensure_year_partitions(file.years) END AS created
FROM file, archived;
