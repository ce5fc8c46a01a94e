-- `catalog sync`, once the hierarchy is rebuilt: values in force whose file's source may no longer
-- report for their unit (SPEC §3; src/catalog/lookup.ts `allows`): `self:X` only for X, and
-- `descendants:X` for X and every unit below it. A file sent now with such a row would be
-- rejected; the values loaded before stay, and the sync names them. Only a change can make them:
-- a unit moved under another parent, values moved to a new edition's version, or a source's scope
-- narrowed; so the caller asks only for the years such a change touched.
-- $1, $2: those years, as period-code bounds ('2023', '2025' for 2023-2024).
SELECT s.source_id, u.code, u.name,
       array_agg(DISTINCT c.period_code ORDER BY c.period_code) AS periods,
       count(*)::int AS values,
       array_agg(DISTINCT c.submission_id ORDER BY c.submission_id)::text[] AS submissions
FROM core.current_value c
JOIN core.submission s ON s.submission_id = c.submission_id
JOIN core.source src ON src.source_id = s.source_id
JOIN core.unit u ON u.unit_key = c.unit_key
WHERE c.period_code >= $1 AND c.period_code < $2
  AND NOT CASE src.scope
            WHEN 'self' THEN u.code = src.scope_unit_code
            ELSE EXISTS (SELECT FROM core.unit_ancestor ua JOIN core.unit a ON a.unit_key = ua.ancestor_key
                         WHERE ua.unit_key = c.unit_key AND a.code = src.scope_unit_code)
          END
GROUP BY s.source_id, u.code, u.name
ORDER BY s.source_id, u.code;
