package io.calltrack.delivery;

import java.net.URI;
import java.net.URISyntaxException;

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

    /** How a stored secret is shown: never itself, only that it is set and its last characters. */
    private static final String MASK = "\u2026";

    /**
     * These settings as the API shows them: the webhook secret, the Metrica token and the GA4 API secret are
     * write-only, shown as {@code …} and their last 4 characters (or {@code …} alone when shorter than 12).
     */
    public DeliverySettings shown() {
        return new DeliverySettings(webhookUrl, masked(webhookSecret), metricaUrl, masked(metricaToken), ga4Url,
                ga4MeasurementId, masked(ga4ApiSecret), callTrackerUrl);
    }

    /**
     * A secret sent back as it was shown (starting with {@code …}) keeps the one {@code stored}: a client may PUT
     * what it read without knowing the secrets.
     */
    public DeliverySettings keepingShownSecretsOf(DeliverySettings stored) {
        return new DeliverySettings(webhookUrl, kept(webhookSecret, stored.webhookSecret), metricaUrl,
                kept(metricaToken, stored.metricaToken), ga4Url, ga4MeasurementId, kept(ga4ApiSecret, stored.ga4ApiSecret),
                callTrackerUrl);
    }

    private static String masked(String secret) {
        if (secret == null) return null;
        return secret.length() < 12 ? MASK : MASK + secret.substring(secret.length() - 4);
    }

    private static String kept(String sent, String stored) {
        return sent != null && sent.startsWith(MASK) ? stored : sent;
    }

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

    /**
     * An http(s) URL Java can send to. One it cannot parse would fail every delivery with an error quoting the whole
     * request URL (GA4's api_secret is added to it), which is logged and shown with the dead letters; the reason
     * given here quotes nothing of it.
     */
    private static void requireHttp(String field, String url) {
        if (url == null) return;
        if (!(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException(field + " must be an http(s) URL, got '" + url + "'");
        }
        try {
            if (new URI(url).getHost() == null) throw new URISyntaxException(url, "no host name");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " is not a valid http(s) URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""));
        }
    }
}
