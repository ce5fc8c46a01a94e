-- A loaded submission can be withdrawn (`dstats withdraw`, src/withdraw/): a file sent by
-- mistake (the wrong ward's figures, the wrong period) no longer counts, and each of its cells
-- takes the value it would have had without it. Nothing is deleted: its observations stay in
-- the history, and its file stays in archive/, with a note beside the receipt.
-- A withdrawn file's bytes are no longer live (submission_live_hash_idx), so the same file can be
-- sent again and loads anew.
ALTER TABLE core.submission DROP CONSTRAINT submission_state_check;
ALTER TABLE core.submission ADD CONSTRAINT submission_state_check
  CHECK (state IN ('received', 'staged', 'loaded', 'rejected', 'duplicate', 'withdrawn'));
ALTER TABLE core.submission ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE core.submission ADD COLUMN withdrawal_reason text;

-- Columns are only added at the end, so BI queries written against the view keep working.
CREATE OR REPLACE VIEW mart.submissions AS
SELECT s.submission_id, s.source_id, s.file_name, s.sha256, s.size_bytes, s.state, s.duplicate_of,
       s.received_at, s.finished_at, s.rows_read, s.values_loaded, s.problem_count, s.first_problem,
       s.submitted_at, s.form_id, s.periods, s.withdrawn_at, s.withdrawal_reason
FROM core.submission s;
COMMENT ON COLUMN mart.submissions.state IS 'received, staged, loaded, rejected, duplicate or withdrawn (loaded, then taken back: its values no longer count).';
COMMENT ON COLUMN mart.submissions.withdrawn_at IS 'When it was withdrawn; NULL unless state is withdrawn.';
COMMENT ON COLUMN mart.submissions.withdrawal_reason IS 'Why it was withdrawn, as the officer wrote it.';
