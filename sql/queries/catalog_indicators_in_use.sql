-- `catalog sync`: which of the indicators the files no longer have still have current values, with
-- the years they have them in, for the sync to name. Each year of the
-- period catalogue is probed for one value through the cell index of its own partition, as in
-- rollup_mark_rebuild.sql.
-- $1: the indicators (text[]).
SELECT i.code, array_agg(y.year::int ORDER BY y.year) AS years
FROM unnest($1::text[]) AS i(code)
JOIN (SELECT DISTINCT year FROM core.period) y
  ON EXISTS (SELECT 1 FROM core.current_value c
             WHERE c.indicator_code = i.code AND c.period_code >= y.year::text AND c.period_code < (y.year + 1)::text)
GROUP BY i.code
ORDER BY i.code;
