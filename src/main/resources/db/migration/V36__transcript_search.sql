-- Full-text search over transcripts (the call log's "said" filter). A transcript is searched in its language's text
-- search configuration, so "цены" finds "цена" and "цену" in a Russian transcript and "price" finds "prices" in an
-- English one; a language without a configuration here is matched word for word (simple). One function says which
-- configuration a language has, for the stored vector and for the query alike (IMMUTABLE, as a generated column
-- needs: a CASE over regconfig literals, no lookup).
CREATE FUNCTION transcript_search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE language WHEN 'en' THEN 'english'::regconfig
                               WHEN 'ru' THEN 'russian'::regconfig
                               ELSE 'simple'::regconfig END $$;

-- Stored, so a search reads lexemes instead of parsing every transcript's text again.
ALTER TABLE transcript
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector(transcript_search_config(language), text)) STORED;
-- No GIN index: the call log's query takes each transcript's own configuration, which an inverted index (built for
-- one fixed query configuration) cannot serve; the vector is read by the transcript's key, call by call.
