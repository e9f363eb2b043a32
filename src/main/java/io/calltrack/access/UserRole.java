package io.calltrack.access;

/**
 * A user's role across the whole installation. {@code OWNER}: everything, users included. {@code ADMIN}: every site,
 * no user management. {@code MEMBER}: only what the user's per-site {@link Grant}s allow.
 */
public enum UserRole {
    OWNER("owner"),
    ADMIN("admin"),
    MEMBER("member");

    private final String dbValue;

    UserRole(String dbValue) {
        this.dbValue = dbValue;
    }

    /** The value stored in the database (and used in the API): explicit, so renaming a constant changes nothing stored. */
    public String dbValue() {
        return dbValue;
    }

    public static UserRole fromDb(String value) {
        for (UserRole r : values()) if (r.dbValue.equals(value)) return r;
        throw new IllegalArgumentException("unknown role '" + value + "'");
    }
}
