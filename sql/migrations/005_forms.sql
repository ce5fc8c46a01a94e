-- Form definitions for wide tables (one row per unit, one column per indicator), from schemas/forms/.
CREATE TABLE core.form (
  form_id        text PRIMARY KEY,
  name_vi        text NOT NULL,
  name_en        text NOT NULL,
  deadline_days  integer NOT NULL DEFAULT 5,   -- submissions are due this many days after the period ends
  definition     jsonb NOT NULL                -- unit headers and indicator columns (see schemas/forms/README.md)
);

ALTER TABLE core.submission ADD COLUMN form_id text;  -- NULL: long format
