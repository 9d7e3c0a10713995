-- Fewer indexes on jobs. H2 rewrites every index of a row it updates, changed columns or not (its
-- UPDATE removes the row from each index and adds it back): a job's insert and its update wrote
-- fifteen index entries through five indexes, most of them for nothing.
--
-- Idempotency keys move to a table of their own: only keyed jobs have a row there, where the unique
-- index on jobs held an entry for every job and had it rewritten at every update. The job keeps
-- its key in idempotency_key, for its status and history; the key's row is what makes it unique.
CREATE TABLE idempotency_keys (
    idempotency_scope VARCHAR(255) NOT NULL,   -- the credential that sent the key (V4)
    idempotency_key   VARCHAR(255) NOT NULL,
    job_id            VARCHAR(36)  NOT NULL,
    PRIMARY KEY (idempotency_scope, idempotency_key)
);
-- the index first, then the foreign key: declared inline, H2 gives a foreign key an index of its
-- own, and this one would be a second index on job_id
CREATE INDEX idempotency_keys_job ON idempotency_keys (job_id);
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE;
INSERT INTO idempotency_keys (idempotency_scope, idempotency_key, job_id)
SELECT idempotency_scope, idempotency_key, id FROM jobs WHERE idempotency_scope IS NOT NULL AND idempotency_key IS NOT NULL;
DROP INDEX jobs_idempotency_scope_key;
ALTER TABLE jobs DROP COLUMN idempotency_scope;

-- One index for the two lookups of waiting jobs: the outbox relay's range of relay_at, and the
-- queue sweep's QUEUED jobs of a type (relay_at NULL, waiting_type the type: an equality on both).
CREATE INDEX jobs_waiting ON jobs (relay_at, waiting_type);
DROP INDEX jobs_relay_at;
DROP INDEX jobs_waiting_type;
