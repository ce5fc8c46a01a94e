-- Point each unit version at the version of its parent that is valid when the child starts.
UPDATE core.unit AS child
SET parent_key = parent.unit_key
FROM core.unit AS parent
WHERE parent.code = child.parent_code
  AND parent.valid_from <= child.valid_from
  AND (parent.valid_to IS NULL OR parent.valid_to >= child.valid_from)
  AND child.parent_key IS DISTINCT FROM parent.unit_key;
