-- Closure of the unit hierarchy: every unit with itself (depth 0) and all its ancestors.
-- The caller empties core.unit_ancestor first, in the same transaction.
WITH RECURSIVE chain (unit_key, ancestor_key, depth) AS (
  SELECT unit_key, unit_key, 0 FROM core.unit
  UNION ALL
  SELECT chain.unit_key, u.parent_key, chain.depth + 1
  FROM chain JOIN core.unit u ON u.unit_key = chain.ancestor_key
  WHERE u.parent_key IS NOT NULL AND chain.depth < 10
)
INSERT INTO core.unit_ancestor (unit_key, ancestor_key, depth)
SELECT unit_key, ancestor_key, depth FROM chain;
