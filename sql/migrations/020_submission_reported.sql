-- When a submission's report was written beside its file in the drop root: <name>.receipt.json
-- for a loaded or duplicate file, <name>.errors.csv for a rejected one. A load commits before its
-- file is archived and its receipt written, so a full disk can leave a loaded submission without
-- one; every scan hands those on again (src/pipeline/unfinished.ts) until the receipt is written.
-- A rejection is only recorded once its report is written, so it needs no such pass.
ALTER TABLE core.submission ADD COLUMN reported_at timestamptz;

-- Files finished before this column existed have their reports.
UPDATE core.submission SET reported_at = COALESCE(finished_at, received_at)
WHERE state IN ('loaded', 'duplicate', 'rejected');

CREATE INDEX submission_unreported ON core.submission (submission_id)
WHERE reported_at IS NULL AND state IN ('loaded', 'duplicate');
