-- Which `catalog sync` the catalogue in the database comes from. A row, not a sequence: it
-- changes when the sync commits.
-- * Workers keep the catalogue they read in memory (src/pipeline/context.ts); normalise reads
--   this number with its submission and reads the catalogue again when it changed.
-- * Normalise records the version it checked a file against; a load finding another one sends
--   the file back to normalise, since its units may be versions the sync moved or removed
--   (load_submission.sql). A sync and the loads never overlap (src/db/catalog-lock.ts).
CREATE TABLE core.catalog_version (
  only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version    bigint NOT NULL,
  synced_at  timestamptz NOT NULL
);
INSERT INTO core.catalog_version (version, synced_at) VALUES (0, now());

ALTER TABLE core.submission ADD COLUMN catalog_version bigint;
COMMENT ON COLUMN core.submission.catalog_version IS 'The catalogue version normalise checked the file against (core.catalog_version); NULL before it was recorded.';
