-- Claim the pending loads of one pass's years (in the pass's transaction: a crash puts them back);
-- returns the years claimed, none when another rollup took them first.
-- $1, $2: the years, as bounds (2023, 2025 for 2023-2024).
WITH claimed AS (
  DELETE FROM core.rollup_pending
  WHERE year >= $1::smallint AND year < $2::smallint
  RETURNING year, submission_id
),
kept AS (
  INSERT INTO rollup_claimed (year, submission_id) SELECT year, submission_id FROM claimed
  RETURNING year
)
SELECT DISTINCT year::int AS year FROM kept ORDER BY year;
