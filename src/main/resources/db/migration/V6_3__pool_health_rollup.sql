-- Dynamic-pool numbers per closed site day (materialised on first use by the pool-health report).
CREATE TABLE pool_health_day (
    site_id            bigint  NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    day                date    NOT NULL,
    peak_sessions      bigint  NOT NULL,
    peak_leases        bigint  NOT NULL,
    exhausted_seconds  double precision NOT NULL,
    dynamic_sessions   bigint  NOT NULL,
    no_number          bigint  NOT NULL,
    PRIMARY KEY (site_id, day)
);
