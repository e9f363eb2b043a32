-- Transcripts of recorded calls (owner: recordings.TranscriptRepository), one per call, rewritten when a call is
-- transcribed again. turns: the dialogue as JSON (side, start, end, text, words with times); text: every word,
-- what full-text search reads.
CREATE TABLE transcript (
    call_id        bigint      PRIMARY KEY REFERENCES call(id) ON DELETE CASCADE,
    language       text        NOT NULL,
    turns          jsonb       NOT NULL,
    text           text        NOT NULL,
    audio_seconds  double precision NOT NULL,
    transcribed_at timestamptz NOT NULL
);

-- A site's transcription switch and language (owner: recordings.TranscriptionSettings); a site without a row
-- follows transcription.enabled and transcription.language.
CREATE TABLE site_transcription (
    site_id  bigint  PRIMARY KEY REFERENCES site(id) ON DELETE CASCADE,
    enabled  boolean NOT NULL,
    language text    NOT NULL CHECK (language ~ '^[a-z]{2}$')
);
