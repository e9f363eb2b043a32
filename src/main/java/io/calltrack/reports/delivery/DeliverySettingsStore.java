package io.calltrack.reports.delivery;

import io.calltrack.db.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Per-site delivery settings (table site_delivery_settings). */
public final class DeliverySettingsStore {
    private final Jdbc jdbc;

    public DeliverySettingsStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The site's settings; {@link DeliverySettings#NONE} when never set. */
    public DeliverySettings get(long siteId) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT webhook_url, webhook_secret, metrica_url, metrica_token, ga4_url, ga4_measurement_id,
                           ga4_api_secret, call_tracker_url FROM site_delivery_settings WHERE site_id = ?""")) {
                ps.setLong(1, siteId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return DeliverySettings.NONE;
                    return new DeliverySettings(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                }
            }
        });
    }

    public void put(long siteId, DeliverySettings s) {
        jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO site_delivery_settings (site_id, webhook_url, webhook_secret, metrica_url, metrica_token,
                           ga4_url, ga4_measurement_id, ga4_api_secret, call_tracker_url)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (site_id) DO UPDATE SET webhook_url = excluded.webhook_url,
                           webhook_secret = excluded.webhook_secret, metrica_url = excluded.metrica_url,
                           metrica_token = excluded.metrica_token, ga4_url = excluded.ga4_url,
                           ga4_measurement_id = excluded.ga4_measurement_id, ga4_api_secret = excluded.ga4_api_secret,
                           call_tracker_url = excluded.call_tracker_url""")) {
                ps.setLong(1, siteId);
                ps.setString(2, s.webhookUrl());
                ps.setString(3, s.webhookSecret());
                ps.setString(4, s.metricaUrl());
                ps.setString(5, s.metricaToken());
                ps.setString(6, s.ga4Url());
                ps.setString(7, s.ga4MeasurementId());
                ps.setString(8, s.ga4ApiSecret());
                ps.setString(9, s.callTrackerUrl());
                return ps.executeUpdate();
            }
        });
    }
}
