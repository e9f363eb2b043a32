package io.calltrack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.platform.db.Migrations;
import io.calltrack.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Managers stored before V11 kept SIP URIs in dial_string: the upgrade moves them where the SIP redirect reads. */
class ManagerSipUriMigrationTest {

    @Test
    void sipUrisStoredAsDialStringsBecomeSipUrisAndAsteriskDialStringsStay() throws Exception {
        try (HikariDataSource ds = TestDatabase.dataSource(TestDatabase.createEmptyDatabase(), 2)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("10").load().migrate();
            sql(ds, "INSERT INTO site (name, public_key, time_zone, fallback_number) VALUES ('Shop', 'pk', 'UTC', '+15550000')");
            sql(ds, "INSERT INTO department (site_id, name) SELECT id, 'Sales' FROM site");
            sql(ds, "INSERT INTO manager (department_id, name, dial_string, reachable) SELECT id, 'Ann', "
                    + "'sip:ann@10.0.0.5', false FROM department");
            sql(ds, "INSERT INTO manager (department_id, name, dial_string) SELECT id, 'Bob', 'SIPS:bob@pbx' FROM department");
            sql(ds, "INSERT INTO manager (department_id, name, dial_string) SELECT id, 'Cy', 'PJSIP/103' FROM department");

            Migrations.apply(ds);

            assertEquals(List.of("Ann|null|sip:ann@10.0.0.5|f", "Bob|null|sips:bob@pbx|null", "Cy|PJSIP/103|null|null"),
                    rows(ds, "SELECT name, dial_string, sip_uri, reachable FROM manager ORDER BY name"));
        }
    }

    private static void sql(HikariDataSource ds, String statement) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static List<String> rows(HikariDataSource ds, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) cols.add(String.valueOf(rs.getString(i)));
                out.add(String.join("|", cols));
            }
        }
        return out;
    }
}
