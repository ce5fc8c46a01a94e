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

-- A withdrawn file's values stay in the history with no value in force, so a unit version the
-- catalogue files no longer have can hold such history and nothing else. `catalog sync` moves
-- that history to the version of the same code valid in its period (catalog_retire_history.sql);
-- history with no such version keeps the removed version's key, and the history view, which
-- joined every row to its unit, shows it with no unit code instead of leaving it out.
CREATE OR REPLACE VIEW mart.observation_history AS
SELECT o.observation_id, u.code AS unit_code, o.unit_key, o.indicator_code, o.period_code, o.series,
       o.status, o.value, o.submission_id, s.source_id, s.file_name, o.row_no, o.loaded_at,
       (c.observation_id IS NOT NULL) AS is_current
FROM core.observation o
LEFT JOIN core.unit u ON u.unit_key = o.unit_key
JOIN core.submission s ON s.submission_id = o.submission_id
LEFT JOIN core.current_value c
  ON c.unit_key = o.unit_key AND c.indicator_code = o.indicator_code AND c.period_code = o.period_code
 AND c.series = o.series AND c.observation_id = o.observation_id;
COMMENT ON COLUMN mart.observation_history.unit_code IS 'GSO code of the unit; NULL only for a value of a withdrawn file whose unit the catalogue no longer has in that period.';
