-- Calls and their event timeline. A call is keyed by Asterisk's Linkedid (the Uniqueid of its first channel),
-- so every writer (FastAGI at ring time, AMI events later, replays from the spool) upserts the same row.

CREATE TABLE call (
    id                  bigserial PRIMARY KEY,
    linkedid            text        NOT NULL UNIQUE,
    site_id             bigint      REFERENCES site(id) ON DELETE SET NULL,
    number_id           bigint      REFERENCES tracked_number(id) ON DELETE SET NULL,
    called_number       text        NOT NULL,
    caller_number       text,
    -- attribution snapshot taken at ring time (kept even if the session or channel is later deleted)
    attribution         text        NOT NULL
        CHECK (attribution IN ('static', 'dynamic', 'track_id', 'ambiguous', 'unattributed', 'unknown_number')),
    session_id          uuid        REFERENCES visitor_session(id) ON DELETE SET NULL,
    channel_id          bigint      REFERENCES channel(id) ON DELETE SET NULL,
    channel_name        text,
    source              text,
    medium              text,
    campaign            text,
    keyword             text,
    landing_page        text,
    client_id           text,
    first_time_caller   boolean     NOT NULL DEFAULT true,
    repeat_call         boolean     NOT NULL DEFAULT false,
    origin              text        NOT NULL DEFAULT 'agi' CHECK (origin IN ('agi', 'sip')),
    recording_path      text,
    -- lifecycle
    state               text        NOT NULL DEFAULT 'ringing'
        CHECK (state IN ('ringing', 'answered', 'completed', 'redirected')),
    started_at          timestamptz NOT NULL,
    answered_at         timestamptz,
    ended_at            timestamptz,
    manager_id          bigint      REFERENCES manager(id) ON DELETE SET NULL,
    ring_seconds        integer,
    talk_seconds        integer,
    hangup_cause        integer,
    hangup_cause_text   text,
    dial_status         text,
    -- classification on hangup
    class               text CHECK (class IN ('target', 'non_target', 'unanswered')),
    class_reason        text,
    incomplete          boolean     NOT NULL DEFAULT false,
    deal_amount         numeric(14, 2)
);
CREATE INDEX call_site_started ON call (site_id, started_at);
CREATE INDEX call_caller ON call (site_id, caller_number, started_at DESC);
CREATE INDEX call_session ON call (session_id);

CREATE TABLE call_event (
    id           bigserial PRIMARY KEY,
    call_id      bigint      NOT NULL REFERENCES call(id) ON DELETE CASCADE,
    -- idempotency key: a replayed event with the same key is ignored
    event_key    text        NOT NULL,
    kind         text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    detail       jsonb       NOT NULL DEFAULT '{}',
    UNIQUE (call_id, event_key)
);
CREATE INDEX call_event_call_time ON call_event (call_id, occurred_at);
