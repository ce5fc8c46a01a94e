-- Years whose derived, rolled-up and comparable values must be computed again from scratch: the
-- catalogue's rules changed (an aggregation, a weight, the hierarchy, the crosswalk), so values
-- the old rules made may be wrong or no longer made at all. `catalog sync` marks the years and
-- marks their loads pending; the rollup pass of a marked year deletes its computed values and
-- computes them again in one transaction, so BI readers see the old figures until the new ones.
CREATE TABLE core.rollup_rebuild (
  year       smallint PRIMARY KEY,
  marked_at  timestamptz NOT NULL DEFAULT now()
);

-- A rollup writes a computed value only when it changed (rollup_level.sql), so its time is when
-- it last changed.
COMMENT ON COLUMN mart.fact_value.updated_at IS 'When the value was last loaded, or last recomputed to a different figure.';
COMMENT ON COLUMN mart.fact_comparable.updated_at IS 'When it was last computed to a different figure.';
