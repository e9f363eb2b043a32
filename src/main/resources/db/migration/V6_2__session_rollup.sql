-- Daily visit counts per site, report dimension and key, for closed site days (materialised on first use by a
-- report; see reports.SessionRollup). A month of a busy site is then ~15,000 rows instead of millions.
CREATE TABLE session_rollup (
    site_id    bigint  NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    day        date    NOT NULL,
    dimension  text    NOT NULL,
    key        text    NOT NULL,
    sessions   bigint  NOT NULL,
    PRIMARY KEY (site_id, dimension, day, key)
);

-- Which site days are in session_rollup (a day with no visits still gets a row here).
CREATE TABLE session_rollup_day (
    site_id  bigint NOT NULL REFERENCES site(id) ON DELETE CASCADE,
    day      date   NOT NULL,
    PRIMARY KEY (site_id, day)
);
