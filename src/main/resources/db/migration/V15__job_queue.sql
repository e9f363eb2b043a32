-- The outbox becomes the general job queue (io.calltrack.jobs). Rows keep their ids: a webhook's
-- X-Calltrack-Delivery stays the same on the attempts after the upgrade, and undelivered rows are delivered.
ALTER TABLE outbox RENAME TO job;
ALTER SEQUENCE outbox_id_seq RENAME TO job_id_seq;
ALTER TABLE job RENAME CONSTRAINT outbox_pkey TO job_pkey;
ALTER TABLE job RENAME CONSTRAINT outbox_site_id_fkey TO job_site_id_fkey;
ALTER TABLE job RENAME CONSTRAINT outbox_call_id_fkey TO job_call_id_fkey;

-- Kinds are io.calltrack.jobs.JobKind's (one mapping, in Java): a new kind needs no migration.
ALTER TABLE job DROP CONSTRAINT outbox_kind_check;

-- running: claimed by claimed_by, whose lease ends at next_attempt_at (then any worker may claim it again).
ALTER TABLE job DROP CONSTRAINT outbox_state_check;
UPDATE job SET state = 'done' WHERE state = 'delivered';
UPDATE job SET state = 'skipped' WHERE state = 'not_matchable';
ALTER TABLE job ADD CONSTRAINT job_state_check
    CHECK (state IN ('pending', 'running', 'done', 'dead', 'skipped'));
ALTER TABLE job RENAME COLUMN delivered_at TO done_at;
ALTER TABLE job ALTER COLUMN event DROP NOT NULL;
ALTER TABLE job ADD COLUMN claimed_by text;

-- What a job talks to (a receiver's origin, an analytics account): at most outbox.per-target-concurrency jobs of
-- one target run at once. Rows from before are grouped per site and kind.
ALTER TABLE job ADD COLUMN target text;
UPDATE job SET target = kind || ' site ' || coalesce(site_id::text, '-');
ALTER TABLE job ALTER COLUMN target SET NOT NULL;

DROP INDEX outbox_due;
DROP INDEX outbox_dead;
DROP INDEX outbox_delivered;
DROP INDEX outbox_not_matchable;
CREATE INDEX job_due ON job (next_attempt_at) WHERE state IN ('pending', 'running');
CREATE INDEX job_running ON job (target) WHERE state = 'running';
CREATE INDEX job_dead ON job (site_id, id) WHERE state = 'dead';
CREATE INDEX job_done ON job (done_at) WHERE state = 'done';
CREATE INDEX job_skipped ON job (created_at) WHERE state = 'skipped';
