-- The call log's keyset pages. A site's pages read its range of call_report (site_id, started_at); a log of all
-- sites, newest or oldest first, reads this one instead of sorting the table.
CREATE INDEX call_log_started ON call (started_at, id);
-- The calls open now (ringing or talking): the live view and reconciliation's candidates. Partial, so it holds only
-- the few calls in progress plus entries of finished calls until vacuum removes them.
CREATE INDEX call_open ON call (site_id, started_at) WHERE state IN ('ringing', 'answered');
