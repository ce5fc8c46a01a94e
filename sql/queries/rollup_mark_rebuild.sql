-- Every year pending a rollup, marked for a rebuild as well (after rollup_mark_all.sql, when the
-- catalogue's rules changed): its pass deletes the year's computed values and computes them again.
INSERT INTO core.rollup_rebuild (year)
SELECT DISTINCT year FROM core.rollup_pending
ON CONFLICT (year) DO UPDATE SET marked_at = now()
RETURNING year::int AS year;
