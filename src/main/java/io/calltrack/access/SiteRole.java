package io.calltrack.access;

/**
 * What a {@link UserRole#MEMBER} may do on one site. {@code LEAD}: routing, managers, calls, recordings, deals and
 * tags. {@code MARKETER}: channels, numbers, reports, costs, deliveries, calls (recordings only when granted).
 * {@code VIEWER}: read-only.
 */
public enum SiteRole {
    LEAD("lead"),
    MARKETER("marketer"),
    VIEWER("viewer");

    private final String dbValue;

    SiteRole(String dbValue) {
        this.dbValue = dbValue;
    }

    /** The value stored in the database (and used in the API): explicit, so renaming a constant changes nothing stored. */
    public String dbValue() {
        return dbValue;
    }

    public static SiteRole fromDb(String value) {
        for (SiteRole r : values()) if (r.dbValue.equals(value)) return r;
        throw new IllegalArgumentException("unknown site role '" + value + "'");
    }
}
