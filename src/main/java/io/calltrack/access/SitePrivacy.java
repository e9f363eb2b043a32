package io.calltrack.access;

/**
 * A site's personal-data settings. {@code maskCallerNumbers}: callers' numbers are masked for those without
 * recording access on the site; {@code recordingRetentionDays}: recordings are removed this many days after the call
 * (null: kept).
 */
public record SitePrivacy(boolean maskCallerNumbers, Integer recordingRetentionDays) {
    /** A site that has set nothing. */
    public static final SitePrivacy DEFAULT = new SitePrivacy(false, null);
    public static final int MAX_RETENTION_DAYS = 36_500;

    /** Refuses settings that cannot be stored, with a reason the API answers as a 400. */
    public SitePrivacy validated() {
        if (recordingRetentionDays != null
                && (recordingRetentionDays < 1 || recordingRetentionDays > MAX_RETENTION_DAYS)) {
            throw new IllegalArgumentException("recordingRetentionDays must be 1.." + MAX_RETENTION_DAYS
                    + " or null (kept), got " + recordingRetentionDays);
        }
        return this;
    }
}
