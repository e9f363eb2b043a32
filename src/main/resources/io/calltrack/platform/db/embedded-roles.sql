-- Run by calltrack in single-user mode (postgres --single -j: a statement ends with ";" and an empty line) before
-- every start of its embedded PostgreSQL: the application's role, its password, and everything in its schema
-- owned by it. Idempotent; on a store created by an older calltrack (everything owned by the superuser, which
-- anyone on the host could log in as) it hands the schema over.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'calltrack') THEN
        CREATE ROLE calltrack;
    END IF;
END
$$;

ALTER ROLE calltrack WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD ${password};

ALTER SCHEMA public OWNER TO calltrack;

-- the call log's caller-digits index (V38) needs it; creating even a trusted extension takes CREATE on the database
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

DO $$
DECLARE
    o record;
BEGIN
    -- tables, views and free-standing sequences (a column's sequence follows its table)
    FOR o IN SELECT c.oid::regclass AS name,
                    CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                   WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
             FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relowner <> 'calltrack'::regrole
               AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
               AND (c.relkind <> 'S' OR NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                                    AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO calltrack', o.kind, o.name);
    END LOOP;
    -- (not an extension's: those stay the superuser's, as the extension installed them)
    FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> 'calltrack'::regrole
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                               AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO calltrack', o.name);
    END LOOP;
    -- enums, domains and ranges (a table's row type follows its table)
    FOR o IN SELECT t.oid::regtype AS name FROM pg_type t
             WHERE t.typnamespace = 'public'::regnamespace AND t.typowner <> 'calltrack'::regrole
               AND t.typtype IN ('e', 'd', 'r')
    LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO calltrack', o.name);
    END LOOP;
END
$$;

