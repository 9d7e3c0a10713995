-- Idempotency keys belong to the credential that sent them (Stripe's model): the same key from
-- another client is another request. Keys stored before this have no scope and no longer match.
ALTER TABLE jobs ADD COLUMN idempotency_scope VARCHAR(255);
DROP INDEX jobs_idempotency_key;
CREATE UNIQUE INDEX jobs_idempotency_scope_key ON jobs (idempotency_scope, idempotency_key);
