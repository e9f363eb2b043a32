package io.calltrack.reports.delivery;

/**
 * Where a site's calls are delivered. A null URL switches that delivery off.
 * {@code callTrackerUrl} is the public base URL of this server, used for links to calls and recordings.
 */
public record DeliverySettings(
        String webhookUrl,
        String webhookSecret,
        String metricaUrl,
        String metricaToken,
        String ga4Url,
        String ga4MeasurementId,
        String ga4ApiSecret,
        String callTrackerUrl) {

    public static final DeliverySettings NONE = new DeliverySettings(null, null, null, null, null, null, null, null);

    /** Refuses settings that could never deliver, so the mistake shows at PUT time rather than as dead letters. */
    public void validate() {
        requireHttp("webhookUrl", webhookUrl);
        requireHttp("metricaUrl", metricaUrl);
        requireHttp("ga4Url", ga4Url);
        requireHttp("callTrackerUrl", callTrackerUrl);
        if (webhookUrl != null && (webhookSecret == null || webhookSecret.isBlank())) {
            throw new IllegalArgumentException("webhookSecret is required with webhookUrl (bodies are signed)");
        }
        if (ga4Url != null && (ga4MeasurementId == null || ga4ApiSecret == null)) {
            throw new IllegalArgumentException("ga4MeasurementId and ga4ApiSecret are required with ga4Url");
        }
    }

    private static void requireHttp(String field, String url) {
        if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException(field + " must be an http(s) URL, got '" + url + "'");
        }
    }
}
