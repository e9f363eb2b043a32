-- A manager is reached by what Asterisk dials (dial_string, PJSIP/101, sent over FastAGI) and/or by a SIP URI
-- (sip_uri, sip:101@10.0.0.5, which the SIP redirect puts in its 302 Contact and probes with OPTIONS). Before,
-- one column held either, so one manager could not serve both, and FastAGI sent SIP URIs to Dial, which refuses them.
ALTER TABLE manager ADD COLUMN sip_uri text;
ALTER TABLE manager ALTER COLUMN dial_string DROP NOT NULL;
-- the scheme in lower case, as the API now stores it
UPDATE manager
   SET sip_uri = lower(split_part(dial_string, ':', 1)) || substr(dial_string, strpos(dial_string, ':')),
       dial_string = NULL
 WHERE dial_string ~* '^sips?:';
ALTER TABLE manager ADD CONSTRAINT manager_reachable_somehow CHECK (dial_string IS NOT NULL OR sip_uri IS NOT NULL);

-- the cached routing is built from sip_uri too (V7__routing_version.sql)
DROP TRIGGER manager_routing_changed ON manager;
CREATE TRIGGER manager_routing_changed
    AFTER INSERT OR DELETE OR UPDATE OF department_id, name, dial_string, sip_uri, ring_timeout_seconds, position
    ON manager
    FOR EACH ROW EXECUTE FUNCTION manager_routing_changed();
