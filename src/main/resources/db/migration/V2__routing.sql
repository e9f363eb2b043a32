-- Departments, managers and ordered routing rules (rules are data: a change applies to the next call).

CREATE TABLE department (
    id       bigserial PRIMARY KEY,
    site_id  bigint NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    name     text   NOT NULL,
    UNIQUE (site_id, name)
);

CREATE TABLE manager (
    id                    bigserial PRIMARY KEY,
    department_id         bigint      NOT NULL REFERENCES department(id) ON DELETE CASCADE,
    name                  text        NOT NULL,
    -- Asterisk dial string (PJSIP/101) or SIP URI (sip:101@pbx.example.com)
    dial_string           text        NOT NULL,
    active                boolean     NOT NULL DEFAULT true,
    ring_timeout_seconds  integer     NOT NULL DEFAULT 20 CHECK (ring_timeout_seconds > 0),
    -- live reachability from SIP OPTIONS probes; null = not probed
    reachable             boolean,
    last_call_at          timestamptz,
    -- order inside the department, as the lead listed the managers
    position              integer     NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (department_id, name)
);

CREATE TABLE routing_rule (
    id             bigserial PRIMARY KEY,
    site_id        bigint  NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    position       integer NOT NULL,
    name           text    NOT NULL,
    -- the rule's conditions, schedule and action as JSON (routing.RoutingDocument.RuleDoc); absent = any
    spec           jsonb   NOT NULL,
    enabled        boolean NOT NULL DEFAULT true,
    UNIQUE (site_id, position)
);

-- round-robin position per department, advanced atomically
CREATE TABLE department_cursor (
    department_id  bigint PRIMARY KEY REFERENCES department(id) ON DELETE CASCADE,
    next_index     bigint NOT NULL DEFAULT 0
);
