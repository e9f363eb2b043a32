-- Browser sessions and login throttling (owner: io.calltrack.access).

-- Bumped whenever a user's existing sessions must end (password changed or reset, user disabled): a session is
-- live only while it carries its user's current generation, checked on every request by every instance.
ALTER TABLE app_user ADD COLUMN session_generation integer NOT NULL DEFAULT 0;

-- A logged-in browser. Only a SHA-256 of the cookie value is kept (256 random bits: a slow hash adds nothing);
-- the CSRF token is derived from the cookie value, so it is not stored at all.
CREATE TABLE user_session (
    id             bigserial   PRIMARY KEY,
    user_id        bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    token_sha256   bytea       NOT NULL UNIQUE,
    generation     integer     NOT NULL,
    created_at     timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    remote_address text        NOT NULL
);
CREATE INDEX user_session_user ON user_session (user_id);
CREATE INDEX user_session_last_seen ON user_session (last_seen_at);

-- Failed logins of the last window, by what they count against ('account:<login, lower case>', 'ip:<address>'):
-- in the database so that every instance sharing it counts the same attempts.
CREATE TABLE login_failure (
    key        text        NOT NULL,
    failed_at  timestamptz NOT NULL
);
CREATE INDEX login_failure_key ON login_failure (key, failed_at);
CREATE INDEX login_failure_at ON login_failure (failed_at);
