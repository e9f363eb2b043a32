-- A user's note on a call (PUT /v1/calls/{id}/note): free text of at most 2000 characters, checked by the API;
-- null when there is none.
ALTER TABLE call ADD COLUMN note text;
