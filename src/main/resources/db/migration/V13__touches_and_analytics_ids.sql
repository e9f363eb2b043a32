-- Touches and the analytics tags' visitor ids.
--
-- A visitor session's own campaign columns (channel_id, utm_*, first_page, started_at) and its click ids are its
-- first touch: how it started, which also chose its number. A later paid click of the same visitor within the hold
-- time (new UTM parameters or an ad click id) is its last touch, in last_*; null until there is one, so a session
-- start writes nothing more than the click ids it came with.
ALTER TABLE visitor_session
    ADD COLUMN gclid           text,
    ADD COLUMN gbraid          text,
    ADD COLUMN wbraid          text,
    ADD COLUMN yclid           text,
    ADD COLUMN fbclid          text,
    ADD COLUMN msclkid         text,
    ADD COLUMN last_touch_at   timestamptz,
    ADD COLUMN last_channel_id bigint REFERENCES channel(id) ON DELETE SET NULL,
    ADD COLUMN last_source     text,
    ADD COLUMN last_medium     text,
    ADD COLUMN last_campaign   text,
    ADD COLUMN last_term       text,
    ADD COLUMN last_content    text,
    ADD COLUMN last_page       text,
    ADD COLUMN last_gclid      text,
    ADD COLUMN last_gbraid     text,
    ADD COLUMN last_wbraid     text,
    ADD COLUMN last_yclid      text,
    ADD COLUMN last_fbclid     text,
    ADD COLUMN last_msclkid    text,
    -- GA4's client_id (from the _ga cookie: GA1.1.X.Y is X.Y) and Yandex Metrica's ClientID (the _ym_uid cookie)
    ADD COLUMN ga_client_id    text,
    ADD COLUMN ym_client_id    text;

-- A call's attribution snapshot: the plain columns are the last touch, which the call is credited to (now with its
-- time and click ids), first_* the first touch. Both are always written (equal for a visit of one touch), so
-- reports group by either without telling the cases apart; calls recorded before are calls of one touch.
ALTER TABLE call
    ADD COLUMN touch_at           timestamptz,
    ADD COLUMN gclid              text,
    ADD COLUMN gbraid             text,
    ADD COLUMN wbraid             text,
    ADD COLUMN yclid              text,
    ADD COLUMN fbclid             text,
    ADD COLUMN msclkid            text,
    ADD COLUMN first_channel_id   bigint REFERENCES channel(id) ON DELETE SET NULL,
    ADD COLUMN first_channel_name text,
    ADD COLUMN first_source       text,
    ADD COLUMN first_medium       text,
    ADD COLUMN first_campaign     text,
    ADD COLUMN first_keyword      text,
    ADD COLUMN first_landing_page text,
    ADD COLUMN first_touch_at     timestamptz,
    ADD COLUMN first_gclid        text,
    ADD COLUMN first_gbraid       text,
    ADD COLUMN first_wbraid       text,
    ADD COLUMN first_yclid        text,
    ADD COLUMN first_fbclid       text,
    ADD COLUMN first_msclkid      text,
    ADD COLUMN ga_client_id       text,
    ADD COLUMN ym_client_id       text;

UPDATE call SET first_channel_id = channel_id, first_channel_name = channel_name, first_source = source,
                first_medium = medium, first_campaign = campaign, first_keyword = keyword,
                first_landing_page = landing_page
 WHERE channel_id IS NOT NULL OR channel_name IS NOT NULL OR source IS NOT NULL OR medium IS NOT NULL
    OR campaign IS NOT NULL OR keyword IS NOT NULL OR landing_page IS NOT NULL;

-- The report indexes cover the keys of both touches.
DROP INDEX call_report;
CREATE INDEX call_report ON call (site_id, started_at)
    INCLUDE (channel_id, campaign, keyword, landing_page, first_channel_id, first_campaign, first_keyword,
             first_landing_page, number_id, caller_number, class, first_time_caller, repeat_call, ring_seconds,
             talk_seconds, deal_amount, attribution);
DROP INDEX visitor_session_report;
CREATE INDEX visitor_session_report ON visitor_session (site_id, started_at)
    INCLUDE (channel_id, utm_campaign, utm_term, first_page, last_touch_at, last_channel_id, last_campaign,
             last_term, last_page, number_id, no_number, is_bot, last_seen_at, ended_at);

-- The rollup keeps first-touch counts as first_<dimension>; for the days rolled up so far (sessions of one touch)
-- they are the counts already there.
INSERT INTO session_rollup (site_id, day, dimension, key, sessions)
SELECT site_id, day, 'first_' || dimension, key, sessions FROM session_rollup
 WHERE dimension IN ('channel', 'campaign', 'keyword', 'landing_page');

-- A call an analytics target cannot match (no visitor id of its own) is not sent there; its outbox row records that.
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check
    CHECK (state IN ('pending', 'delivered', 'dead', 'not_matchable'));
CREATE INDEX outbox_not_matchable ON outbox (created_at) WHERE state = 'not_matchable';
