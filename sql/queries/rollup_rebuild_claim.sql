-- Takes the rebuild marks of one pass's years (in the pass's transaction: a crash puts them back).
-- Deleting them first, rather than after the rebuild, means a `catalog sync` that marks one of
-- these years again meanwhile waits for the pass and leaves a new mark for the next rollup.
-- $1, $2: the years, as bounds (2023, 2025 for 2023-2024).
DELETE FROM core.rollup_rebuild
WHERE year >= $1::smallint AND year < $2::smallint
RETURNING year::int AS year, indicator_codes;
