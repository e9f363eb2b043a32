-- A call's recording path is written a moment after the call row: with room left on the row's page that update
-- stays on the page (HOT, the path is in no index) instead of adding an entry to each of the call's six indexes.
ALTER TABLE call SET (fillfactor = 90);
