-- `catalog sync`: the crosswalk rows the files no longer have go, as the files are the truth. The
-- years whose comparable series followed one are rebuilt: their structure digest changed
-- (catalog_structure.sql).
-- $1, $2, $3: the files' rows as old codes, new codes and effective dates (text[], text[], and
-- dates as text, cast to date[]).
DELETE FROM core.unit_crosswalk w
WHERE NOT EXISTS (
  SELECT FROM unnest($1::text[], $2::text[], $3::date[]) AS f(old_code, new_code, effective_date)
  WHERE f.old_code = w.old_code AND f.new_code = w.new_code AND f.effective_date = w.effective_date
);
