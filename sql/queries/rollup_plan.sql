-- The years waiting for a rollup, each with an upper bound of its changed cells: the values of the
-- loads that marked it (a load's values in all its years; exact for the usual one-year file).
-- Read without claiming: each pass claims its own years.
SELECT p.year::int AS year, LEAST(COALESCE(sum(s.values_loaded), 0), 2000000000)::int AS cells
FROM core.rollup_pending p
LEFT JOIN core.submission s ON s.submission_id = p.submission_id
GROUP BY p.year
ORDER BY p.year;
