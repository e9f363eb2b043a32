package io.calltrack.delivery;

import io.calltrack.platform.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Per-site delivery settings (table site_delivery_settings). */
public final class DeliverySettingsStore {
    private final Jdbc jdbc;

    public DeliverySettingsStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private static final String COLUMNS = """
            d.webhook_url, d.webhook_secret, d.metrica_url, d.metrica_token, d.ga4_url, d.ga4_measurement_id,
            d.ga4_api_secret, d.call_tracker_url""";

    /** The site's settings; {@link DeliverySettings#NONE} when never set. */
    public DeliverySettings get(long siteId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM site_delivery_settings d WHERE d.site_id = :siteId")
                .bind("siteId", siteId).map((rs, ctx) -> read(rs)).findOne()).orElse(DeliverySettings.NONE);
    }

    /** A site and its delivery settings. */
    public record OfSite(long siteId, DeliverySettings settings) {}

    /** The settings of the call's site; empty when the site has never set any (or the call is gone). */
    public Optional<OfSite> forCall(long callId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT d.site_id, " + COLUMNS
                        + " FROM call c JOIN site_delivery_settings d ON d.site_id = c.site_id WHERE c.id = :callId")
                .bind("callId", callId).map((rs, ctx) -> new OfSite(rs.getLong("site_id"), read(rs))).findOne());
    }

    private static DeliverySettings read(ResultSet rs) throws SQLException {
        return new DeliverySettings(rs.getString("webhook_url"), rs.getString("webhook_secret"),
                rs.getString("metrica_url"), rs.getString("metrica_token"), rs.getString("ga4_url"),
                rs.getString("ga4_measurement_id"), rs.getString("ga4_api_secret"), rs.getString("call_tracker_url"));
    }

    public void put(long siteId, DeliverySettings s) {
        jdbc.withHandle(h -> h.createUpdate("""
                        INSERT INTO site_delivery_settings (site_id, webhook_url, webhook_secret, metrica_url,
                               metrica_token, ga4_url, ga4_measurement_id, ga4_api_secret, call_tracker_url)
                        VALUES (:siteId, :webhookUrl, :webhookSecret, :metricaUrl, :metricaToken, :ga4Url,
                                :ga4MeasurementId, :ga4ApiSecret, :callTrackerUrl)
                        ON CONFLICT (site_id) DO UPDATE SET webhook_url = excluded.webhook_url,
                               webhook_secret = excluded.webhook_secret, metrica_url = excluded.metrica_url,
                               metrica_token = excluded.metrica_token, ga4_url = excluded.ga4_url,
                               ga4_measurement_id = excluded.ga4_measurement_id,
                               ga4_api_secret = excluded.ga4_api_secret,
                               call_tracker_url = excluded.call_tracker_url""")
                .bind("siteId", siteId).bindMethods(s) // the settings' accessors by name
                .execute());
    }
}
