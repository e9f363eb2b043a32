-- When the caller's conversation with the manager ended, as the FastAGI session saw Dial return. With
-- answered_at (the same moment minus app_dial's ANSWEREDTIME_MS) it gives talk time that does not depend on AMI
-- event timestamps, which lag while Asterisk's manager queue is backed up.
ALTER TABLE call ADD COLUMN talk_ended_at timestamptz;
