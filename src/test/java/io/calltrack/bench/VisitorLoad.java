package io.calltrack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The Java half of {@code scripts/bench-visitors} (wrk sends the load): {@code setup} creates a site with a pool of
 * numbers and a month of past traffic, and prints its public visitor URL; {@code check} reads back from PostgreSQL
 * what the load did: sessions started, how many were shown the fallback number, and whether any pool number was
 * ever held by two sessions at once.
 * Usage: {@code VisitorLoad setup <http base> <token> <jdbc url> <pool size> <hold seconds>},
 * {@code VisitorLoad check <jdbc url>}
 */
public final class VisitorLoad {
    private VisitorLoad() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("setup")) {
            setUp(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        } else {
            System.out.println(check(args[1]));
        }
    }

    private static void setUp(String base, String token, String jdbcUrl, int pool, int holdSeconds) throws Exception {
        JsonNode site = AgiBench.call("POST", base + "/v1/sites", token, """
                {"name":"Visitors","timeZone":"UTC","fallbackNumber":"+12125550100","allowedOrigins":["*"],
                 "sessionHoldSeconds":%d}""".formatted(holdSeconds));
        // the pool in one statement: thousands of API calls would only slow the set-up down
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement ps = c.prepareStatement("INSERT INTO tracked_number (site_id, e164, kind) "
                     + "SELECT ?, '+1646' || lpad(i::text, 7, '0'), 'pool' FROM generate_series(1, ?) i")) {
            ps.setLong(1, site.get("id").asLong());
            ps.setInt(2, pool);
            ps.executeUpdate();
        }
        PastTraffic.seed(jdbcUrl, site.get("id").asLong(), 250_000);
        System.out.println(base + "/v1/visitor/" + site.get("publicKey").asText() + "/sessions");
    }

    /** What the load left in the database; FAIL if two leases of one number overlap in time. */
    private static String check(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT (SELECT count(*) FROM number_lease a JOIN number_lease b
                               ON a.number_id = b.number_id AND a.id < b.id
                              AND a.leased_at < b.held_until AND b.leased_at < a.held_until),
                            (SELECT count(*) FROM number_lease),
                            (SELECT count(*) FROM visitor_session),
                            (SELECT count(*) FROM visitor_session WHERE no_number)""")) {
            rs.next();
            long overlaps = rs.getLong(1);
            return String.format("%s: %d overlapping leases among %d leases (no number may be held by two sessions "
                            + "at once); %d sessions, %d of them shown the fallback number (pool exhausted)",
                    overlaps == 0 ? "PASS" : "FAIL", overlaps, rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
    }
}
