-- The report indexes of V6_1 have the same key, (site_id, started_at), as these two; they only carry more columns.
-- Every visitor session written or touched and every call written or updated paid for both.
DROP INDEX visitor_session_site_started;
DROP INDEX call_site_started;
