package io.calltrack.access;

/** A token just created: its id and the token itself, which is shown this once and never stored. */
public record IssuedToken(long id, String token) {}
