-- The audit log (owner: io.calltrack.access.AuditLog): who did what, when, from where. No foreign keys: an entry
-- outlives the user, the site and the call it names. detail never holds a password or secret (redacted before).
CREATE TABLE audit_entry (
    id              bigserial   PRIMARY KEY,
    at              timestamptz NOT NULL,
    user_id         bigint,
    login           text        NOT NULL,
    action          text        NOT NULL,
    site_id         bigint,
    target          text        NOT NULL,
    detail          jsonb       NOT NULL DEFAULT '{}',
    remote_address  text        NOT NULL
);
-- pages are newest first by id; the filters that narrow most have their own index
CREATE INDEX audit_entry_at ON audit_entry (at);
CREATE INDEX audit_entry_site ON audit_entry (site_id, id);
CREATE INDEX audit_entry_user ON audit_entry (user_id, id);
CREATE INDEX audit_entry_action ON audit_entry (action text_pattern_ops, id);
