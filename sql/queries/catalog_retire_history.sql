-- `catalog sync`, before the unit versions the files no longer have are removed: the history they
-- still hold goes to the version of the same code valid on its period's last day. Their values in
-- force have moved by then, with their cells' history (catalog_move_values.sql), so what is left
-- is history of cells with no value in force: a withdrawn file's (src/withdraw/). History with no
-- such version keeps the removed version's key (mart.observation_history shows it without a unit
-- code, migration 022).
-- $1: the versions the files no longer have (int[]).
UPDATE core.observation o
SET unit_key = t.unit_key
FROM core.unit r, core.unit t, core.period p
WHERE o.unit_key = ANY ($1::int[]) AND r.unit_key = o.unit_key AND p.code = o.period_code
  AND t.code = r.code AND t.unit_key <> ALL ($1::int[])
  AND t.valid_from <= p.end_date AND (t.valid_to IS NULL OR t.valid_to >= p.end_date);
