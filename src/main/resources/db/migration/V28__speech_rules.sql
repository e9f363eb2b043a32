-- A site's speech rules (owner: recordings.rules.SpeechRuleRepository): the rules document as the API takes it,
-- {"rules": [{phrases, side, tag, absent, classAs}, ...]}, checked by recordings.rules.SpeechRules before it is
-- stored. A site without a row has no rules.
CREATE TABLE site_speech_rules (
    site_id bigint PRIMARY KEY REFERENCES site(id) ON DELETE CASCADE,
    rules   jsonb  NOT NULL
);

-- The tags of a call: 'rule' tags are rewritten whenever the site's speech rules are applied to the call,
-- 'manual' ones are a user's and are kept.
CREATE TABLE call_tag (
    call_id bigint NOT NULL REFERENCES call(id) ON DELETE CASCADE,
    tag     text   NOT NULL,
    source  text   NOT NULL CHECK (source IN ('rule', 'manual')),
    PRIMARY KEY (call_id, tag, source)
);
