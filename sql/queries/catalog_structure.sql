-- A digest of the catalogue's structure that every computed value follows: the unit hierarchy with
-- its validity (which children a parent sums and how many it expects) and the crosswalk (the new
-- units' comparable series). `catalog sync` compares it before and after: when it changed, every
-- indicator's computed values are rebuilt (rollup_mark_rebuild.sql). Names and aliases do not count.
SELECT md5(concat_ws('|',
  (SELECT string_agg(concat_ws(',', u.code, u.valid_from, u.valid_to, p.code, p.valid_from), ';' ORDER BY u.code, u.valid_from)
   FROM core.unit u LEFT JOIN core.unit p ON p.unit_key = u.parent_key),
  (SELECT string_agg(concat_ws(',', old_code, new_code, effective_date, kind, weight), ';' ORDER BY old_code, new_code, effective_date)
   FROM core.unit_crosswalk)
)) AS digest;
