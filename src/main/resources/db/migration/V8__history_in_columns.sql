-- The steps every job takes are no longer written as history rows: they are read from the job's
-- columns (io.warren.store.JobHistory). The rows written for them before are removed, so that a
-- job's history does not show them twice: its acceptance, its success, its first publish (at its
-- published_at) and its first start.
DELETE FROM job_events WHERE event IN ('ACCEPTED', 'SUCCEEDED');
DELETE FROM job_events e
WHERE e.event = 'PUBLISHED' AND e.at = (SELECT j.published_at FROM jobs j WHERE j.id = e.job_id);
DELETE FROM job_events e
WHERE e.event = 'ATTEMPT_STARTED' AND e.detail IS NULL
  AND e.at = (SELECT MIN(f.at) FROM job_events f WHERE f.job_id = e.job_id AND f.event = 'ATTEMPT_STARTED');
