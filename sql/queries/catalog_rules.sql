-- A digest of every catalogue rule the computed values depend on: how each indicator aggregates
-- across units and periods (and by which weight), the unit hierarchy with its validity, and the
-- crosswalk. `catalog sync` compares it before and after: when it changes, the warehouse's
-- derived figures are rebuilt (rollup_mark_rebuild.sql). Names, aliases and ranges do not count.
SELECT md5(concat_ws('|',
  (SELECT string_agg(concat_ws(',', code, aggregation, weight_indicator, period_aggregation), ';' ORDER BY code)
   FROM core.indicator),
  (SELECT string_agg(concat_ws(',', u.code, u.valid_from, u.valid_to, p.code, p.valid_from), ';' ORDER BY u.code, u.valid_from)
   FROM core.unit u LEFT JOIN core.unit p ON p.unit_key = u.parent_key),
  (SELECT string_agg(concat_ws(',', old_code, new_code, effective_date, kind, weight), ';' ORDER BY old_code, new_code, effective_date)
   FROM core.unit_crosswalk)
)) AS digest;
