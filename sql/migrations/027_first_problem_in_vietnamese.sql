-- A rejected file's first problem was kept in English only, and the status page showed it so in
-- its Vietnamese version too. Now in both languages. Columns are only added at the end.
ALTER TABLE core.submission ADD COLUMN first_problem_vi text;

CREATE OR REPLACE VIEW mart.submissions AS
SELECT s.submission_id, s.source_id, s.file_name, s.sha256, s.size_bytes, s.state, s.duplicate_of,
       s.received_at, s.finished_at, s.rows_read, s.values_loaded, s.problem_count, s.first_problem,
       s.submitted_at, s.form_id, s.periods, s.withdrawn_at, s.withdrawal_reason, s.first_problem_vi
FROM core.submission s;
COMMENT ON COLUMN mart.submissions.first_problem_vi IS 'The first problem, in Vietnamese (first_problem is the same in English); NULL for files rejected before 2026-12.';
