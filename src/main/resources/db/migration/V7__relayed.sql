-- Set once the outbox relay took the job (its publish was not confirmed, the sweep found it missing
-- from its queue, or a replay was not published): from then on there may be more than one copy,
-- so a worker claims it with a write, never on a read alone.
ALTER TABLE jobs ADD COLUMN relayed BOOLEAN NOT NULL DEFAULT FALSE;
