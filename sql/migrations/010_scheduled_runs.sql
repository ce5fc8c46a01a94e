-- Scheduled runs: one row per slot, claimed by exactly one scheduler replica.
CREATE TABLE core.scheduled_run (
  schedule     text NOT NULL,          -- e.g. nightly
  slot         timestamptz NOT NULL,   -- the scheduled instant
  claimed_by   text NOT NULL,          -- host:pid of the replica that ran it
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  files        integer,
  PRIMARY KEY (schedule, slot)
);
