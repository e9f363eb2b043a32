-- A site's personal-data settings (owner: io.calltrack.access.SitePrivacyStore). No row: numbers shown to everyone
-- who sees the calls, recordings kept.
CREATE TABLE site_privacy (
    site_id                   bigint  PRIMARY KEY REFERENCES site (id) ON DELETE CASCADE,
    -- caller numbers masked for those without recording access on the site
    mask_caller_numbers       boolean NOT NULL DEFAULT false,
    -- recordings (files and the call's recording_path) removed this many days after the call; null: kept
    recording_retention_days  integer CHECK (recording_retention_days BETWEEN 1 AND 36500)
);
