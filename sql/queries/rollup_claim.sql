-- Claim every pending load (in the rollup's transaction: a crash puts them back).
WITH claimed AS (
  DELETE FROM core.rollup_pending
  RETURNING year, submission_id
)
INSERT INTO rollup_claimed (year, submission_id) SELECT year, submission_id FROM claimed;
