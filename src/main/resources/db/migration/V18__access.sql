-- People and what they may touch (owner: io.calltrack.access). A login is unique regardless of case.
CREATE TABLE app_user (
    id                   bigserial   PRIMARY KEY,
    login                text        NOT NULL CHECK (length(login) BETWEEN 1 AND 200),
    -- a memory-hard hash in its library's self-describing format; null: no password yet (token-only or invited)
    password_hash        text,
    role                 text        NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at           timestamptz NOT NULL,
    password_changed_at  timestamptz,
    disabled_at          timestamptz
);
CREATE UNIQUE INDEX app_user_login ON app_user (lower(login));

-- A member's sites: one role per site; recordings = may listen to that site's calls.
CREATE TABLE user_grant (
    user_id     bigint  NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    site_id     bigint  NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    role        text    NOT NULL CHECK (role IN ('lead', 'marketer', 'viewer')),
    recordings  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (user_id, site_id)
);
CREATE INDEX user_grant_site ON user_grant (site_id);

-- A user's named API tokens. Only a SHA-256 of the token is kept (tokens are 256 random bits: a slow hash adds
-- nothing); the token itself is shown once, at creation. Scope: the user's, or narrower (only these sites,
-- read-only).
CREATE TABLE api_token (
    id            bigserial   PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_sha256  bytea       NOT NULL UNIQUE,
    only_sites    bigint[],
    read_only     boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    UNIQUE (user_id, name)
);
