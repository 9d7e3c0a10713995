-- relay_at: when the outbox relay may publish a job still waiting for a confirmed publish (its
-- acceptance plus the relay-after delay, the end of a relay's lease, a replay's deadline); NULL once
-- it is published or started. Its index replaces jobs_pending (status, accepted_at), which every
-- change of status rewrote: relay_at changes once per job, at its publish, so starting and
-- finishing a job change no indexed column (on PostgreSQL such an update can be HOT: no index writes).
ALTER TABLE jobs ADD COLUMN relay_at TIMESTAMP WITH TIME ZONE;
UPDATE jobs SET relay_at = COALESCE(relay_claimed_until, accepted_at) WHERE status = 'ACCEPTED';
CREATE INDEX jobs_relay_at ON jobs (relay_at);
DROP INDEX jobs_pending;
ALTER TABLE jobs DROP COLUMN relay_claimed_until;
