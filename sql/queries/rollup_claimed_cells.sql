-- Every cell the claimed loads wrote in their claimed years: the changed cells of the pass, read
-- through the per-partition submission index of those years' observation partitions.
-- A load writes each cell once (the current values' upsert fails on a file that repeats one), so
-- the cells are already distinct unless two claimed loads share a year; only then are they made
-- distinct (sorting a year's 86,304 cells of a first load took 100 ms of the statement's 200).
-- `cells` is written into each branch, and only the branch whose condition holds is run.
-- $1, $2: the pass's years, as period-code bounds ('2023', '2025' for 2023-2024).
WITH claimed_once AS (
  SELECT count(*) = count(DISTINCT year) AS yes FROM rollup_claimed
),
cells AS NOT MATERIALIZED (
  SELECT o.unit_key, o.indicator_code, o.period_code, o.series
  FROM rollup_claimed c
  JOIN core.observation o ON o.submission_id = c.submission_id AND left(o.period_code, 4) = c.year::text
  WHERE o.period_code >= $1 AND o.period_code < $2
)
INSERT INTO rollup_changed (unit_key, indicator_code, period_code, series)
SELECT * FROM cells WHERE (SELECT yes FROM claimed_once)
UNION ALL
SELECT DISTINCT * FROM cells WHERE NOT (SELECT yes FROM claimed_once);
