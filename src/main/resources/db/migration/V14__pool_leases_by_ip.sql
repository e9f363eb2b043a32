-- A new visitor from an address that already holds tracking.pool-leases-per-ip pool numbers sees the fallback:
-- counting them reads this address's sessions that show a number. Neither ip nor number_id changes on a
-- heartbeat, so heartbeats stay HOT updates.
CREATE INDEX visitor_session_ip ON visitor_session (site_id, ip) WHERE number_id IS NOT NULL;
