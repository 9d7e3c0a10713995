-- The jobs table and its history (db/migration/V1__jobs.sql). Read by io.warren.store.Sql: each
-- statement follows a "-- name:" line; :name is a parameter; :ACCEPTED and the like are JobStatus
-- constants. Every change of status names the statuses it may start from, so a status never goes
-- backwards whatever order deliveries arrive in.

-- name: insert
INSERT INTO jobs (id, type, status, attempts, payload, correlation_id, producer, host, idempotency_key,
                  request_hash, accepted_at, relay_at, waiting_type)
VALUES (:id, :type, :ACCEPTED, 0, :payload, :correlation_id, :producer, :host, :idempotency_key,
        :request_hash, :accepted_at, :relay_at, :type)

-- name: insert-idempotency-key
-- after the job's insert, in its transaction: a key already held fails it (unique violation)
INSERT INTO idempotency_keys (idempotency_scope, idempotency_key, job_id) VALUES (:scope, :key, :job_id)

-- name: find-by-idempotency-key
SELECT j.* FROM idempotency_keys k JOIN jobs j ON j.id = k.job_id
WHERE k.idempotency_scope = :scope AND k.idempotency_key = :key

-- name: forget-idempotency-key
-- the job keeps showing the key it came with; the key is free for a new job
DELETE FROM idempotency_keys WHERE job_id = :id

-- name: delete
DELETE FROM jobs WHERE id = :id

-- name: event
INSERT INTO job_events (job_id, at, event, attempt, detail) VALUES (:job_id, :at, :event, :attempt, :detail)

-- name: published-again
-- the history row of a publish after the job's first (a relay's or a replay's), run before "published":
-- the first publish is the job's published_at
INSERT INTO job_events (job_id, at, event, attempt, detail)
SELECT id, CAST(:at AS TIMESTAMP WITH TIME ZONE), 'PUBLISHED', CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR)
FROM jobs WHERE id = :id AND published_at IS NOT NULL

-- name: published
-- a worker may already have started the job: its status is kept then
UPDATE jobs SET published_at = COALESCE(published_at, :now), relay_at = NULL,
       status = CASE WHEN status = :ACCEPTED THEN :QUEUED ELSE status END
WHERE id = :id

-- name: start-attempt
-- may_take_over: the broker's redelivery of a dead worker's job (or its copy back from a retry
-- queue) may claim it while RUNNING. So may any delivery of a job the relay never took: it has one
-- copy, so this is a redelivery whose flag a broker restart lost (the embedded broker's). A first
-- delivery of a relayed job may not: another copy of it is running. :published: the time of the
-- job's first publish when this start records it too (FirstRuns), else NULL
UPDATE jobs SET status = :RUNNING, attempts = GREATEST(attempts + 1, :attempt), started_at = COALESCE(started_at, :now),
       published_at = COALESCE(published_at, :published), relay_at = NULL, waiting_type = NULL
WHERE id = :id AND (status IN (:ACCEPTED, :QUEUED, :RETRYING) OR (status = :RUNNING AND :may_take_over AND (:redelivered OR NOT relayed)))

-- name: start-and-succeed
-- a first run's start and success in one update, when the success came while the start was still
-- queued (FirstRuns); it holds only if nothing else started the job meanwhile
UPDATE jobs SET status = :SUCCEEDED, attempts = GREATEST(attempts + 1, :attempt), started_at = COALESCE(started_at, :started),
       published_at = COALESCE(published_at, :published), finished_at = :now, relay_at = NULL, waiting_type = NULL,
       last_error_stack = NULL, result = :result
WHERE id = :id AND status IN (:ACCEPTED, :QUEUED, :RETRYING)

-- name: started-again
-- the history row of a start after the job's first (a retry, a redelivery, a replay's), run after a
-- "start-attempt" that held: the first start is the job's started_at
INSERT INTO job_events (job_id, at, event, attempt, detail)
SELECT id, CAST(:at AS TIMESTAMP WITH TIME ZONE), 'ATTEMPT_STARTED', CAST(:attempt AS INTEGER), CAST(NULL AS VARCHAR)
FROM jobs WHERE id = :id AND attempts > 1

-- name: attempt-failed
UPDATE jobs SET status = :RETRYING, last_error_class = :error_class, last_error_message = :error_message
WHERE id = :id AND status IN (:RUNNING, :RETRYING)

-- name: finish
UPDATE jobs SET status = :status, finished_at = :now, attempts = GREATEST(attempts, :attempts), relay_at = NULL, waiting_type = NULL,
       last_error_class = COALESCE(:error_class, last_error_class),
       last_error_message = COALESCE(:error_message, last_error_message),
       last_error_stack = :stack, result = :result
WHERE id = :id AND status NOT IN (:SUCCEEDED, :DEAD, :DISCARDED)

-- name: replay
-- leased for a while: the throttled replay route publishes it; the outbox relay only if that never happens
UPDATE jobs SET status = :ACCEPTED, finished_at = NULL, relay_at = :lease_until, waiting_type = type
WHERE id = :id AND status = :DEAD

-- name: discard
UPDATE jobs SET status = :DISCARDED WHERE id = :id AND status = :DEAD

-- name: queued-of-type
-- through jobs_waiting: only jobs that wait for their first run; a QUEUED job's relay_at is NULL
SELECT id FROM jobs WHERE relay_at IS NULL AND waiting_type = :type AND status = :QUEUED

-- name: queued-of-type-before
SELECT id FROM jobs WHERE relay_at IS NULL AND waiting_type = :type AND status = :QUEUED AND published_at < :published_before

-- name: requeue
UPDATE jobs SET status = :ACCEPTED, relay_at = :now WHERE id = :id AND status = :QUEUED

-- name: purged
UPDATE jobs SET status = :DISCARDED, finished_at = :now, relay_at = NULL, waiting_type = NULL WHERE id = :id AND status IN (:ACCEPTED, :QUEUED, :RETRYING)

-- name: unpublished
-- the lower bound keeps H2's index scan off the NULLs (every published job)
SELECT * FROM jobs
WHERE relay_at > TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00' AND relay_at <= :now AND status = :ACCEPTED
ORDER BY relay_at LIMIT :limit

-- name: lease
-- two instances never publish the same job at once: the second finds it leased
UPDATE jobs SET relay_at = :lease_until, relayed = TRUE
WHERE id = :id AND status = :ACCEPTED AND relay_at <= :now

-- name: find
SELECT * FROM jobs WHERE id = :id

-- name: status
SELECT status FROM jobs WHERE id = :id

-- name: waiting
SELECT status, relayed FROM jobs WHERE id = :id

-- name: page
-- newest first; :before is the id the previous page ended with; every filter is optional;
-- :error_class matches the simple or the full class name. Planned for each run: knowing the values,
-- PostgreSQL drops the unused filters and starts the index scan at :before, which a plan cached for
-- any values cannot
-- plan: each run
SELECT * FROM jobs
WHERE (CAST(:type AS VARCHAR) IS NULL OR type = :type)
  AND (CAST(:status AS VARCHAR) IS NULL OR status = :status)
  AND (CAST(:error_class AS VARCHAR) IS NULL OR last_error_class = :error_class OR last_error_class LIKE :error_suffix)
  AND (CAST(:since AS TIMESTAMP WITH TIME ZONE) IS NULL OR accepted_at >= :since)
  AND (CAST(:before AS VARCHAR) IS NULL OR id < :before)
ORDER BY id DESC LIMIT :limit

-- name: counts
SELECT type, status, COUNT(*) AS jobs FROM jobs GROUP BY type, status

-- name: history
-- by time: a PUBLISHED recorded after the worker's first events still comes first (it was sent first)
SELECT at, event, attempt, detail FROM job_events WHERE job_id = :job_id ORDER BY at, id

-- name: pause-type
-- after resume-type, in the same transaction: the latest pause is the one kept
INSERT INTO paused_types (type, instance_id, paused_by, paused_at) VALUES (:type, :instance_id, :paused_by, :now)

-- name: resume-type
DELETE FROM paused_types WHERE type = :type AND instance_id = :instance_id

-- name: paused-type
-- the instance's own pause, or the fleet's (instance '*'), latest first
SELECT paused_by, paused_at FROM paused_types WHERE type = :type AND instance_id IN (:instance_id, '*')
ORDER BY paused_at DESC

-- name: resume-type-everywhere
DELETE FROM paused_types WHERE type = :type

-- name: resume-all-everywhere
DELETE FROM paused_types

-- name: lock-in-order
-- a shared database only (GroupCommit): the rows a transaction changes, locked first in id order
-- PostgreSQL's generic plan for "= ANY" of an array scans the whole table while it is small (it
-- reckons on ten ids), and a plan cached then stayed for the connection's life: a core at 300 jobs/s
-- plan: each run
SELECT id FROM jobs WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE
