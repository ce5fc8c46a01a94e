-- Which `catalog sync` the catalogue in the database comes from. Workers keep the catalogue they
-- read in memory (src/pipeline/context.ts); normalise reads this number with its submission and
-- reads the catalogue again when it changed, so no file is checked against the catalogue from
-- before a sync that has committed. A row, not a sequence: it changes when the sync commits.
CREATE TABLE core.catalog_version (
  only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version    bigint NOT NULL,
  synced_at  timestamptz NOT NULL
);
INSERT INTO core.catalog_version (version, synced_at) VALUES (0, now());
