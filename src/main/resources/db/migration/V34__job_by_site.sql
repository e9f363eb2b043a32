-- A site's recent deliveries (GET /v1/sites/{id}/deliveries) are keyset pages of its jobs, newest first: read from
-- this index's range of the site, as cheap deep as first. (A job is a few rows a call, purged after
-- outbox.keep-delivered: the index stays small next to the call table's.)
CREATE INDEX job_site ON job (site_id, id);
