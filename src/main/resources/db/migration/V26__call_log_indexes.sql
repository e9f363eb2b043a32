-- The call log's keyset pages. A site's pages read its range of call_report (site_id, started_at); a log of all
-- sites, newest or oldest first, reads this one instead of sorting the table.
CREATE INDEX call_log_started ON call (started_at, id);
-- No index on state (not even a partial one for the calls open now): a call's state changes two or three times
-- while it rings and is answered, and an indexed state would make each of those updates write every index of the
-- call instead of staying HOT on its page (V9). The live view reads the last hours of call_log_started instead.
