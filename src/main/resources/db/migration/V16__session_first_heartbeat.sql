-- When a session first heartbeat: the snippet heartbeats only from a visible page, so until then nothing shows that a
-- person ever saw the number. Such a session's pool lease lasts tracking.unseen-lease-hold, not the site's hold; its
-- first heartbeat extends it to the full hold. In no index: heartbeats stay HOT updates.
ALTER TABLE visitor_session ADD COLUMN first_heartbeat_at timestamptz;
