-- `catalog sync`, after the units' upsert: values loaded under a unit version that does not cover
-- their period (a new edition closed it after they were checked), or under a version the
-- catalogue files no longer have (an edition re-dated or withdrawn), go to the version of the same
-- code valid on the period's last day, the one normalise resolves now (src/catalog/lookup.ts):
-- their current values (by precedence, should that version hold the cell already) and their
-- history. A code with no such version then (or, with overlapping editions, several) keeps its
-- values where they are: they are returned unmoved, with the submissions that hold them, and no
-- rollup counts them. One row per version and period. Staged files need nothing: their load sees
-- the sync and sends them back to normalise (migration 021).
-- $1: the versions the files no longer have (int[]); no value moves to one of them.
--
-- Each version is probed only in the years that can hold periods outside its validity: before its
-- first day's year (and that year, unless the version starts on 1 January), after its last day's
-- year (and that year, unless it ends on 31 December). Those bounds are the outer row's, so each
-- probe is planned over the matching years' partitions only as it runs, and the values inside a
-- version's validity, nearly all of them, are never read: the statement takes 50 ms on the bench's
-- 2,000,000 values over 24 years, where a join of every value took 1.6 s. A version the files no
-- longer have is read whole (1.1 s for versions holding all 2,000,000).
WITH versions AS (
  SELECT unit_key,
         (extract(year FROM valid_from)::int + CASE WHEN extract(doy FROM valid_from) = 1 THEN 0 ELSE 1 END)::text AS before_bound,
         (extract(year FROM valid_to)::int + CASE WHEN to_char(valid_to, 'MM-DD') = '12-31' THEN 1 ELSE 0 END)::text AS after_bound
  FROM core.unit
),
-- UNION, not UNION ALL: the branches can find a version's period twice (a version that starts and
-- ends in one year, or one the files no longer have). MATERIALIZED: the few rows it finds are
-- joined to the units and periods after; inlined, the plan crossed every unit with every period
-- first (0.87 s).
outside_current AS MATERIALIZED (
  SELECT v.unit_key, c.period_code, c.n, c.submissions
  FROM versions v
  CROSS JOIN LATERAL (
    SELECT period_code, count(*) AS n, array_agg(DISTINCT submission_id) AS submissions FROM core.current_value
    WHERE unit_key = v.unit_key AND period_code < v.before_bound GROUP BY 1
  ) c
  UNION
  SELECT v.unit_key, c.period_code, c.n, c.submissions
  FROM versions v
  CROSS JOIN LATERAL (
    SELECT period_code, count(*) AS n, array_agg(DISTINCT submission_id) AS submissions FROM core.current_value
    WHERE unit_key = v.unit_key AND period_code >= v.after_bound GROUP BY 1
  ) c
  WHERE v.after_bound IS NOT NULL
  UNION
  SELECT unit_key, period_code, count(*), array_agg(DISTINCT submission_id) FROM core.current_value WHERE unit_key = ANY ($1::int[]) GROUP BY 1, 2
),
outside AS (
  SELECT u.unit_key, u.code, h.period_code, p.end_date, h.n::int AS n, h.submissions
  FROM outside_current h
  JOIN core.unit u ON u.unit_key = h.unit_key
  JOIN core.period p ON p.code = h.period_code
  WHERE p.end_date < u.valid_from OR p.end_date > u.valid_to OR u.unit_key = ANY ($1::int[])
),
destination AS (
  SELECT o.unit_key, o.code, o.period_code, o.n, o.submissions, min(t.unit_key) AS new_key, count(t.unit_key) AS versions
  FROM outside o
  LEFT JOIN core.unit t ON t.code = o.code AND t.unit_key <> ALL ($1::int[])
                       AND t.valid_from <= o.end_date AND (t.valid_to IS NULL OR t.valid_to >= o.end_date)
  GROUP BY 1, 2, 3, 4, 5
),
moves AS (
  SELECT unit_key AS old_key, period_code, new_key FROM destination WHERE versions = 1
),
current_moved AS (
  INSERT INTO core.current_value AS cur
    (unit_key, indicator_code, period_code, series, value, status, status_rank, observation_id, submission_id, updated_at)
  SELECT m.new_key, c.indicator_code, c.period_code, c.series, c.value, c.status, c.status_rank, c.observation_id, c.submission_id, c.updated_at
  FROM moves m
  JOIN core.current_value c ON c.unit_key = m.old_key AND c.period_code = m.period_code
  ON CONFLICT (unit_key, indicator_code, period_code, series) DO UPDATE
    SET value = EXCLUDED.value, status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
        observation_id = EXCLUDED.observation_id, submission_id = EXCLUDED.submission_id, updated_at = EXCLUDED.updated_at
    -- official > preliminary > estimate; at equal status the later submission wins (load_submission.sql).
    WHERE (EXCLUDED.status_rank, EXCLUDED.submission_id) >= (cur.status_rank, cur.submission_id)
),
current_left AS (
  DELETE FROM core.current_value c USING moves m WHERE c.unit_key = m.old_key AND c.period_code = m.period_code
),
history_moved AS (
  UPDATE core.observation o SET unit_key = m.new_key
  FROM moves m WHERE o.unit_key = m.old_key AND o.period_code = m.period_code
)
SELECT d.unit_key, d.code, u.name, u.valid_from, d.period_code, d.n AS values, d.submissions::text[] AS submissions, d.versions = 1 AS moved
FROM destination d
JOIN core.unit u ON u.unit_key = d.unit_key
ORDER BY d.code, d.period_code;
