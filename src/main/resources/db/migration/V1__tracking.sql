-- Sites, channels, tracked numbers, visitor sessions and the number-lease history.
-- All times are UTC (timestamptz); schedules are evaluated in site.time_zone.

CREATE TABLE site (
    id                        bigserial PRIMARY KEY,
    name                      text        NOT NULL,
    public_key                text        NOT NULL UNIQUE,
    time_zone                 text        NOT NULL,
    target_threshold_seconds  integer     NOT NULL DEFAULT 30  CHECK (target_threshold_seconds >= 0),
    repeat_window_days        integer     NOT NULL DEFAULT 30  CHECK (repeat_window_days >= 0),
    session_hold_seconds      integer     NOT NULL DEFAULT 900 CHECK (session_hold_seconds >= 0),
    fallback_number           text        NOT NULL,
    allowed_origins           text[]      NOT NULL DEFAULT '{}',
    -- ask the caller for a Track ID when a dynamic-number call cannot be attributed
    trackid_on_unattributed   boolean     NOT NULL DEFAULT false,
    -- where calls go outside every routing rule's schedule (dial string), null = fallback route
    closed_hours_destination  text,
    created_at                timestamptz NOT NULL DEFAULT now()
);

-- How traffic is recognised, and whether it is tracked with a static number or the dynamic pool.
CREATE TABLE channel (
    id             bigserial PRIMARY KEY,
    site_id        bigint  NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    name           text    NOT NULL,
    tracking       text    NOT NULL CHECK (tracking IN ('static', 'dynamic')),
    utm_source     text,
    utm_medium     text,
    utm_campaign   text,
    referrer_host  text,
    -- lower matches first when several channels recognise the same visit
    priority       integer NOT NULL DEFAULT 100,
    UNIQUE (site_id, name)
);

CREATE TABLE tracked_number (
    id             bigserial PRIMARY KEY,
    site_id        bigint      NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    e164           text        NOT NULL UNIQUE,
    kind           text        NOT NULL CHECK (kind IN ('static', 'pool')),
    channel_id     bigint      REFERENCES channel(id) ON DELETE SET NULL,
    trackid_entry  boolean     NOT NULL DEFAULT false,
    -- the current lease of a pool number: held by session until held_until (last heartbeat + hold time)
    held_by        uuid,
    held_until     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'pool' OR channel_id IS NOT NULL)
);
CREATE INDEX tracked_number_pool_free ON tracked_number (site_id, held_until NULLS FIRST, id) WHERE kind = 'pool';

CREATE TABLE visitor_session (
    id            uuid        PRIMARY KEY,
    site_id       bigint      NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    channel_id    bigint      REFERENCES channel(id) ON DELETE SET NULL,
    client_id     text        NOT NULL,
    first_page    text,
    current_page  text,
    referrer      text,
    utm_source    text,
    utm_medium    text,
    utm_campaign  text,
    utm_term      text,
    utm_content   text,
    user_agent    text,
    ip            text,
    track_id      text,
    number_id     bigint      REFERENCES tracked_number(id) ON DELETE SET NULL,
    no_number     boolean     NOT NULL DEFAULT false,
    is_bot        boolean     NOT NULL DEFAULT false,
    started_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    ended_at      timestamptz
);
CREATE INDEX visitor_session_site_started ON visitor_session (site_id, started_at);
CREATE INDEX visitor_session_client ON visitor_session (site_id, client_id, last_seen_at DESC);
CREATE INDEX visitor_session_track_id ON visitor_session (site_id, track_id, last_seen_at DESC) WHERE track_id IS NOT NULL;

-- Lease history: who held which number from when until when (held_until moves with heartbeats).
CREATE TABLE number_lease (
    id          bigserial PRIMARY KEY,
    number_id   bigint      NOT NULL REFERENCES tracked_number(id) ON DELETE CASCADE,
    session_id  uuid        NOT NULL REFERENCES visitor_session(id) ON DELETE CASCADE,
    leased_at   timestamptz NOT NULL,
    held_until  timestamptz NOT NULL
);
CREATE INDEX number_lease_number_time ON number_lease (number_id, leased_at DESC);
CREATE INDEX number_lease_session ON number_lease (session_id);
