-- Load one staged submission, set-based: observations (history), then the current value of each
-- cell under the precedence rules. Returns the periods whose values changed (for the rollups).
-- $1 submission id; $2 number convention ('vi' | 'en' | NULL when every value reads the same).
WITH staged AS (
  SELECT s.submission_id, s.row_no, s.unit_key, s.indicator_code, s.period_code, s.series, s.status, s.note,
         CASE $2::text WHEN 'vi' THEN s.value_vi WHEN 'en' THEN s.value_en
              ELSE COALESCE(s.value_vi, s.value_en) END * s.factor AS value
  FROM core.staged_value s
  WHERE s.submission_id = $1
),
inserted AS (
  INSERT INTO core.observation (submission_id, row_no, unit_key, indicator_code, period_code, series, status, value, note)
  SELECT submission_id, row_no, unit_key, indicator_code, period_code, series, status, value, note
  FROM staged
  WHERE value IS NOT NULL
  RETURNING observation_id, submission_id, unit_key, indicator_code, period_code, series, status, value
),
upserted AS (
  INSERT INTO core.current_value AS cur
    (unit_key, indicator_code, period_code, series, value, status, status_rank, observation_id, submission_id, updated_at)
  SELECT unit_key, indicator_code, period_code, series, value, status,
         CASE status WHEN 'official' THEN 3 WHEN 'preliminary' THEN 2 ELSE 1 END,
         observation_id, submission_id, now()
  FROM inserted
  ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
    SET value = EXCLUDED.value, status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
        observation_id = EXCLUDED.observation_id, submission_id = EXCLUDED.submission_id, updated_at = now()
    -- official > preliminary > estimate; at equal status the later submission wins.
    WHERE (EXCLUDED.status_rank, EXCLUDED.submission_id) >= (cur.status_rank, cur.submission_id)
  RETURNING period_code
)
SELECT (SELECT count(*) FROM inserted)::int AS values_loaded,
       (SELECT count(*) FROM upserted)::int AS cells_changed,
       COALESCE((SELECT array_agg(DISTINCT period_code) FROM upserted), '{}') AS periods;
