-- The units a submission has values for, recorded by normalise as it records its periods. A load
-- removes the rolled-up values of the cells it reports; a unit without any in the file's years
-- (a ward, whose values are never rolled up from children) needs no search for them, which for
-- 1,000,000 reported cells was one index probe each (3.3 s of a corrected file's reload).
-- NULL for a submission staged before this column existed: its load searches as before.
ALTER TABLE core.submission ADD COLUMN unit_keys integer[];
COMMENT ON COLUMN core.submission.unit_keys IS 'Units the submission has values for (normalise); NULL when not recorded.';
