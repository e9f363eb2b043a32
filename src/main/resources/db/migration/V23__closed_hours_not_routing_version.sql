-- Routing no longer reads the site table: a call's closed-hours destination comes with its routing request, from the
-- site the call side read with the call's attribution (fresh on every call). The site's closed-hours destination
-- therefore no longer needs to bump the routing version that keeps routing's in-memory copy current, and a table
-- tracking owns no longer writes into one routing owns.
DROP TRIGGER site_routing_changed ON site;
DROP FUNCTION site_routing_changed();
