-- Routing is read for every ringing call, but its rules and people change rarely. routing_version counts the
-- changes to what a site's routing is built from, so each calltrack instance keeps the site's routing in memory and
-- learns in the per-call query it runs anyway (the managers' live state) whether its copy is still current.
-- The live columns (active, reachable, last_call_at) are read on every call and do not bump the version.
-- No foreign key: the triggers also fire while a site's departments are deleted with the site.

CREATE TABLE routing_version (
    site_id  bigint PRIMARY KEY,
    version  bigint NOT NULL
);

CREATE FUNCTION bump_routing_version(changed_site bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO routing_version (site_id, version) SELECT changed_site, 1 WHERE changed_site IS NOT NULL
    ON CONFLICT (site_id) DO UPDATE SET version = routing_version.version + 1
$$;

-- department and routing_rule rows carry their site_id
CREATE FUNCTION site_row_routing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM bump_routing_version(OLD.site_id); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM bump_routing_version(NEW.site_id); END IF;
    RETURN NULL;
END
$$;

-- a manager's site is its department's (already gone when the department is deleted: that bumps by itself)
CREATE FUNCTION manager_routing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM bump_routing_version((SELECT site_id FROM department WHERE id = OLD.department_id));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM bump_routing_version((SELECT site_id FROM department WHERE id = NEW.department_id));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION site_routing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_routing_version(NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER department_routing_changed AFTER INSERT OR UPDATE OR DELETE ON department
    FOR EACH ROW EXECUTE FUNCTION site_row_routing_changed();
CREATE TRIGGER routing_rule_routing_changed AFTER INSERT OR UPDATE OR DELETE ON routing_rule
    FOR EACH ROW EXECUTE FUNCTION site_row_routing_changed();
CREATE TRIGGER manager_routing_changed
    AFTER INSERT OR DELETE OR UPDATE OF department_id, name, dial_string, ring_timeout_seconds, position ON manager
    FOR EACH ROW EXECUTE FUNCTION manager_routing_changed();
CREATE TRIGGER site_routing_changed AFTER UPDATE OF closed_hours_destination ON site
    FOR EACH ROW EXECUTE FUNCTION site_routing_changed();
