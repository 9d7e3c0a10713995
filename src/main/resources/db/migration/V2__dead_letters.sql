-- Why a job died, kept with it (the dead-letter queue's copy may be gone long before).
ALTER TABLE jobs ADD COLUMN last_error_stack VARCHAR(4000);
