-- Reports, costs, per-site export/webhook settings and the durable outbox of outgoing deliveries.

-- Ad spend per site, channel, campaign ('' = the whole channel) and day (the site's calendar day).
CREATE TABLE ad_cost (
    site_id     bigint         NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    channel_id  bigint         NOT NULL REFERENCES channel(id) ON DELETE CASCADE,
    campaign    text           NOT NULL DEFAULT '',
    day         date           NOT NULL,
    amount      numeric(14, 2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (site_id, channel_id, campaign, day)
);

-- Where a site's calls go: a signed webhook, Yandex.Metrica calls upload, GA4 Measurement Protocol.
-- A null URL switches that delivery off.
CREATE TABLE site_delivery_settings (
    site_id               bigint PRIMARY KEY REFERENCES site(id) ON DELETE CASCADE,
    webhook_url           text,
    webhook_secret        text,
    metrica_url           text,
    metrica_token         text,
    ga4_url               text,
    ga4_measurement_id    text,
    ga4_api_secret        text,
    call_tracker_url      text
);

-- Every outgoing HTTP delivery. The payload is rendered from the call when the row is first sent.
CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    site_id          bigint      REFERENCES site(id) ON DELETE CASCADE,
    call_id          bigint      REFERENCES call(id) ON DELETE CASCADE,
    kind             text        NOT NULL CHECK (kind IN ('webhook', 'metrica', 'ga4')),
    event            text        NOT NULL,
    state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    delivered_at     timestamptz,
    last_error       text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (site_id, id) WHERE state = 'dead';
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE state = 'delivered';

-- Reports read a site's month by start time; these cover the grouped columns without touching the heap.
CREATE INDEX call_report ON call (site_id, started_at)
    INCLUDE (channel_id, campaign, keyword, landing_page, number_id, caller_number, class, first_time_caller,
             repeat_call, ring_seconds, talk_seconds, deal_amount, attribution);
CREATE INDEX visitor_session_report ON visitor_session (site_id, started_at)
    INCLUDE (channel_id, utm_campaign, utm_term, first_page, number_id, no_number, is_bot, last_seen_at, ended_at);
