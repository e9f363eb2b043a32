-- The target threshold a call is classified by travels with the call: its site's threshold when it rang, set from
-- its attribution, so the calls side never reads the site table (tracking's). Re-classifying a site sets its new
-- threshold on all its calls, those still in progress too. Calls recorded before take their site's threshold now.
ALTER TABLE call ADD COLUMN target_threshold_seconds integer CHECK (target_threshold_seconds >= 0);
UPDATE call SET target_threshold_seconds = site.target_threshold_seconds FROM site WHERE site.id = call.site_id;
