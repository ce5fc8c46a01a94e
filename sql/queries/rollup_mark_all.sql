-- Every loaded submission, pending for a rollup of each year it has values in: the next rollup
-- recomputes every cell of the warehouse.
INSERT INTO core.rollup_pending (year, submission_id)
SELECT DISTINCT p.year, o.submission_id
FROM core.observation o JOIN core.period p ON p.code = o.period_code
ON CONFLICT DO NOTHING;
