-- The call log's callerContains (digits anywhere in the caller's number, caller_number LIKE '%digits%') read every
-- call of the site without an index: 1.3 s at 1,000,000 calls. A trigram index finds the few calls holding the
-- digits (README, Performance, "Call log": page and intake figures with and without it). Without GIN's pending
-- list (fastupdate off): with it, the insert that fills the list merges it into the index, and that one ringing
-- call's FastAGI answer waited seconds; written directly each call costs a little more, always.
-- pg_trgm is a trusted extension (PostgreSQL 13+), but creating one takes CREATE on the database, which calltrack's
-- role lacks: the embedded server's setup creates it as the superuser (embedded-roles.sql), an external database's
-- administrator once (README, "External PostgreSQL"); where it already exists the line below does nothing, and where
-- it does not and the role may not create it, the migration stops with PostgreSQL's "permission denied".
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX call_caller_digits ON call USING gin (caller_number gin_trgm_ops) WITH (fastupdate = off);
