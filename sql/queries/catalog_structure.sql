-- For each year with values, a digest of the catalogue's structure that the year's
-- computed values follow. `catalog sync` compares them before and after: in a year whose digest
-- changed, every indicator's computed values are rebuilt (rollup_mark_rebuild.sql). Names and
-- aliases do not count.
--
-- A year's rollup sums the children valid on each period's last day (rollup_children.sql) into
-- their parents, so it follows the units whose validity overlaps the year, each with its validity
-- clipped to the year (a ward closed in 2027 changes nothing before 2027), its parent and, up the
-- hierarchy, their ancestors. A year before a reorganisation also has comparable series
-- (crosswalk_targets.sql): they follow that crosswalk's rows and its new units with their
-- ancestors, whatever years those are valid in.
WITH RECURSIVE years AS (
  -- Only the years with values have computed values to rebuild (the catalogue's run to 2100); each
  -- is probed for one value, as in rollup_mark_rebuild.sql.
  SELECT y.year, make_date(y.year, 1, 1) AS first_day, make_date(y.year, 12, 31) AS last_day
  FROM (SELECT DISTINCT year FROM core.period) y
  WHERE EXISTS (SELECT 1 FROM core.current_value c WHERE c.period_code >= y.year::text AND c.period_code < (y.year + 1)::text)
),
followed (year, unit_key) AS (
  SELECT y.year, u.unit_key
  FROM years y
  JOIN core.unit u ON u.valid_from <= y.last_day AND (u.valid_to IS NULL OR u.valid_to >= y.first_day)
  UNION
  SELECT y.year, n.unit_key
  FROM years y
  JOIN core.unit_crosswalk w ON w.effective_date > y.first_day
  JOIN core.unit n ON n.code = w.new_code AND n.valid_from = w.effective_date
  UNION
  SELECT f.year, u.parent_key
  FROM followed f
  JOIN core.unit u ON u.unit_key = f.unit_key
  WHERE u.parent_key IS NOT NULL
),
structure_line AS (
  SELECT f.year,
         concat_ws(',', u.code, greatest(u.valid_from, y.first_day), least(COALESCE(u.valid_to, y.last_day), y.last_day),
                   p.code, p.valid_from) AS line
  FROM followed f
  JOIN years y ON y.year = f.year
  JOIN core.unit u ON u.unit_key = f.unit_key
  LEFT JOIN core.unit p ON p.unit_key = u.parent_key
  UNION ALL
  SELECT y.year, concat_ws(',', 'crosswalk', w.old_code, w.new_code, w.effective_date, w.kind, w.weight)
  FROM years y
  JOIN core.unit_crosswalk w ON w.effective_date > y.first_day
)
SELECT y.year::int AS year, md5(COALESCE(string_agg(s.line, ';' ORDER BY s.line), '')) AS digest
FROM years y
LEFT JOIN structure_line s ON s.year = y.year
GROUP BY y.year
ORDER BY y.year;
