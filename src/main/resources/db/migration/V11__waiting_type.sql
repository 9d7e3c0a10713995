-- waiting_type: the job's type while it waits for its first run (ACCEPTED or QUEUED), NULL once a
-- worker started it. The queue sweep looks up a type's QUEUED jobs through its index, which holds
-- only waiting jobs: the (status, accepted_at) index that served it changed at every status
-- change (V9), and the (type, id) index would make each sweep read every job the type ever had.
ALTER TABLE jobs ADD COLUMN waiting_type VARCHAR(64);
UPDATE jobs SET waiting_type = type WHERE status IN ('ACCEPTED', 'QUEUED');
CREATE INDEX jobs_waiting_type ON jobs (waiting_type);
