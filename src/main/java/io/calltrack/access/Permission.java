package io.calltrack.access;

/**
 * What a management route may need. A site-scoped permission is decided per site by the caller's grant there
 * ({@link AccessPolicy}); the others concern the whole installation. {@code changes}: a read-only API token never
 * has it. {@code code} and {@code description} name it in a 403's message and in the README's table.
 */
public enum Permission {
    SITE_READ("site.read", "reading a site and its tracking setup (channels, numbers)", true, false),
    SITE_SETTINGS("site.settings", "changing a site's settings", true, true),
    SITES_CREATE("sites.create", "creating sites", false, true),
    SITE_DELETE("site.delete", "deleting a site with all its data", true, true),
    TRACKING_WRITE("tracking.write", "changing channels and numbers", true, true),
    ROUTING_READ("routing.read", "reading routing (departments, managers, rules)", true, false),
    ROUTING_WRITE("routing.write", "changing routing (departments, managers, rules)", true, true),
    CALLS_READ("calls.read", "reading calls", true, false),
    CALLS_WRITE("calls.write", "changing calls (deal, tags, note, re-classification)", true, true),
    RECORDINGS("recordings.listen", "listening to recordings", true, false),
    REPORTS_READ("reports.read", "reading reports and pool health", true, false),
    COSTS_WRITE("costs.write", "importing ad costs", true, true),
    DELIVERIES_READ("deliveries.read", "reading delivery settings, status, dead letters and exports", true, false),
    DELIVERIES_WRITE("deliveries.write", "changing delivery settings and re-sending deliveries", true, true),
    TELEPHONY("telephony.report", "reporting call outcomes as the PBX (/v1/sip/outcomes)", false, true),
    USERS("users.manage", "managing users and their grants", false, true),
    AUDIT_READ("audit.read", "reading the audit log", false, false),
    PERSONAL_DATA_ERASE("personal-data.erase", "erasing a caller's data on request", false, true),
    METRICS("metrics.read", "reading /metrics", false, false),
    OWN_ACCOUNT_READ("account.read", "reading your own account and API tokens", false, false),
    OWN_ACCOUNT_WRITE("account.write", "changing your own account (password, API tokens, logout)", false, true);

    private final String code;
    private final String description;
    private final boolean siteScoped;
    private final boolean changes;

    Permission(String code, String description, boolean siteScoped, boolean changes) {
        this.code = code;
        this.description = description;
        this.siteScoped = siteScoped;
        this.changes = changes;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** Decided per site (the request names one, or a list shows only the sites where it holds). */
    public boolean siteScoped() {
        return siteScoped;
    }

    /** A change rather than a read: refused to read-only tokens. */
    public boolean changes() {
        return changes;
    }

    /** "changing routing (routing.write)": how a refusal names what is missing. */
    @Override
    public String toString() {
        return description + " (" + code + ")";
    }
}
