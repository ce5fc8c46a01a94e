-- When the source dropped the file (its modification time, never later than intake), as opposed
-- to when dstats took it in: a file dropped on time and taken in by the next nightly run is on time.
ALTER TABLE core.submission ADD COLUMN submitted_at timestamptz;
UPDATE core.submission SET submitted_at = received_at;

CREATE OR REPLACE VIEW mart.submissions AS
SELECT s.submission_id, s.source_id, s.file_name, s.sha256, s.size_bytes, s.state, s.duplicate_of,
       s.received_at, s.finished_at, s.rows_read, s.values_loaded, s.problem_count, s.first_problem,
       s.submitted_at, s.form_id, s.periods
FROM core.submission s;
COMMENT ON COLUMN mart.submissions.submitted_at IS 'When the source dropped the file (its modification time, never later than received_at).';
COMMENT ON COLUMN mart.submissions.form_id IS 'Form of a wide table; NULL for a long-format file.';
COMMENT ON COLUMN mart.submissions.periods IS 'Periods the file had values for.';

-- Completeness judges the time the file was dropped.
CREATE OR REPLACE VIEW mart.completeness AS
WITH slots AS (
  SELECT e.expectation_id, s.source_id, e.form_id, p.code AS period_code, p.end_date,
         p.end_date + COALESCE(e.deadline_days, f.deadline_days, 5) AS deadline
  FROM core.expectation e
  JOIN core.period pf ON pf.code = e.from_period
  LEFT JOIN core.period pt ON pt.code = e.to_period
  JOIN core.period p ON p.type = e.frequency AND p.start_date >= pf.start_date
   AND (pt.code IS NULL OR p.end_date <= pt.end_date)
   AND p.start_date <= current_date
  LEFT JOIN core.form f ON f.form_id = e.form_id
  JOIN core.source s ON (
        (e.source_spec NOT LIKE 'units-of:%' AND s.source_id = e.source_spec)
     OR (e.source_spec LIKE 'units-of:%' AND s.kind = 'unit' AND EXISTS (
          SELECT 1 FROM core.unit u
          JOIN core.unit_ancestor ua ON ua.unit_key = u.unit_key
          JOIN core.unit a ON a.unit_key = ua.ancestor_key AND ua.depth > 0
          WHERE u.code = s.scope_unit_code AND a.code = substr(e.source_spec, 10)
            AND u.valid_from <= p.end_date AND (u.valid_to IS NULL OR u.valid_to >= p.end_date))))
),
matched AS (
  SELECT sl.*,
         min(COALESCE(sub.submitted_at, sub.received_at)) FILTER (WHERE sub.state IN ('loaded', 'staged', 'received')) AS first_accepted_at,
         count(sub.submission_id) FILTER (WHERE sub.state = 'rejected') AS rejected_files,
         count(sub.submission_id) FILTER (WHERE sub.state IN ('loaded', 'staged', 'received')) AS accepted_files,
         max(COALESCE(sub.submitted_at, sub.received_at)) AS last_received_at
  FROM slots sl
  LEFT JOIN core.submission sub
    ON sub.source_id = sl.source_id AND sl.period_code = ANY (sub.periods)
   AND ((sl.form_id = 'long' AND sub.form_id IS NULL) OR sub.form_id = sl.form_id)
   AND sub.state <> 'duplicate'
  GROUP BY sl.expectation_id, sl.source_id, sl.form_id, sl.period_code, sl.end_date, sl.deadline
)
SELECT m.source_id,
       COALESCE((SELECT u.name FROM core.unit u
                 WHERE src.kind = 'unit' AND u.code = src.scope_unit_code
                   AND u.valid_from <= m.end_date AND (u.valid_to IS NULL OR u.valid_to >= m.end_date)), src.name) AS source_name,
       m.form_id, m.period_code, m.deadline,
       CASE
         WHEN m.accepted_files > 0 AND (m.first_accepted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= m.deadline THEN 'on_time'
         WHEN m.accepted_files > 0 THEN 'late'
         WHEN m.rejected_files > 0 THEN 'rejected'
         ELSE 'missing'
       END AS status,
       m.first_accepted_at, m.last_received_at, m.accepted_files, m.rejected_files
FROM matched m
JOIN core.source src ON src.source_id = m.source_id
WHERE m.accepted_files > 0 OR m.rejected_files > 0 OR m.deadline < current_date;
COMMENT ON COLUMN mart.completeness.first_accepted_at IS 'When the first accepted file was dropped.';
COMMENT ON COLUMN mart.completeness.last_received_at IS 'When the latest file for the slot was dropped.';
