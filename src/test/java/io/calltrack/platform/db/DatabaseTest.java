package io.calltrack.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigSource;
import io.calltrack.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path tmp;

    @Test
    void theEmbeddedDatabaseWritesThroughToDiskAndKeepsItsDataAcrossRestarts() throws Exception {
        CalltrackConfig.Database cfg = config(0);
        try (Database db = Database.open(cfg); Connection c = db.dataSource().getConnection();
             Statement s = c.createStatement()) {
            assertEquals("on", one(s, "SHOW fsync"), "a power loss must not corrupt the server's store");
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        }
        try (Database db = Database.open(cfg); Connection c = db.dataSource().getConnection();
             Statement s = c.createStatement()) {
            assertEquals("still here", one(s, "SELECT v FROM kept"));
        }
    }

    @Test
    void theEmbeddedServerLetsInOnlyTheApplicationsRoleWithItsGeneratedPassword() throws Exception {
        int port = freePort();
        try (Database db = Database.open(config(port))) {
            assertRefused(port, "postgres", "");
            assertRefused(port, "postgres", "postgres");
            assertRefused(port, "calltrack", "");
            assertRefused(port, "calltrack", "guess");

            Path passwordFile = tmp.resolve("data/db-password");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            try (Connection c = DriverManager.getConnection(url(port), "calltrack",
                    Files.readString(passwordFile).trim()); Statement s = c.createStatement()) {
                assertEquals("calltrack", one(s, "SELECT current_user"), "the password file is the role's");
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertEquals("calltrack", one(s, "SELECT current_user"));
                assertEquals("f", one(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
                assertEquals("calltrack", one(s, "SELECT nspowner::regrole::text FROM pg_namespace "
                        + "WHERE nspname = 'public'"), "the application's role owns its schema");
                SQLException denied = assertThrows(SQLException.class,
                        () -> s.execute("COPY (SELECT 1) TO PROGRAM 'id'"));
                assertEquals("42501", denied.getSQLState(), denied.getMessage());
                assertEquals("127.0.0.1", one(s, "SHOW listen_addresses"), "loopback only");
            }
            try (var files = Files.list(tmp.resolve("data/pg"))) {
                assertFalse(Files.exists(Path.of("/tmp/.s.PGSQL." + port))
                        || files.anyMatch(f -> f.getFileName().toString().startsWith(".s.PGSQL")),
                        "no Unix socket another local user could connect to");
            }
        }
    }

    @Test
    void aStoreCreatedWhenTheEmbeddedServerTrustedEveryoneIsLockedAndMigratedInPlace() throws Exception {
        int port = freePort();
        Path pgData = tmp.resolve("data/pg");
        Files.createDirectories(pgData);
        // how calltrack created its store before: io.zonky's defaults (initdb -A trust), superuser postgres
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(pgData)
                .setCleanDataDirectory(false).setPort(port).start()) {
            Flyway.configure().dataSource(url(port), "postgres", "").locations("classpath:db/migration")
                    .target("9").load().migrate();
            try (Connection c = DriverManager.getConnection(url(port), "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO site (name, public_key, time_zone, fallback_number) "
                        + "VALUES ('kept', 'k1', 'UTC', '+15550100')");
            }
        }

        try (Database db = Database.open(config(port))) {
            assertRefused(port, "postgres", "");
            Migrations.apply(db.dataSource()); // the later migrations, as the application's role
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertEquals("kept", one(s, "SELECT name FROM site"));
                s.execute("INSERT INTO site (name, public_key, time_zone, fallback_number) "
                        + "VALUES ('new', 'k2', 'UTC', '+15550101')");
                assertEquals("t", one(s, "SELECT bool_and(success) AND count(*) FILTER (WHERE version::numeric > 9) "
                        + "> 0 FROM flyway_schema_history"), "the migrations after 9 were applied");
                assertEquals("0", one(s, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                        + "AND relowner <> 'calltrack'::regrole"), "every table now belongs to calltrack");
                assertEquals("postgres", one(s, "SELECT DISTINCT proowner::regrole::text FROM pg_proc p JOIN pg_depend d "
                        + "ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e' "
                        + "WHERE p.pronamespace = 'public'::regnamespace"), "the trigram functions (call log's "
                        + "caller digits, V38) stay the superuser's: the application cannot redefine them");
            }
        }
    }

    /** How long work waits when every pool connection is busy: db.connection-timeout, not a fixed 5 s. */
    @Test
    void aCallerWaitsForAPoolConnectionNoLongerThanTheConnectionTimeout() throws Exception {
        CalltrackConfig.Database cfg = CalltrackConfig.from(ConfigSource.of(Map.of(
                "db.url", TestDatabase.createEmptyDatabase(), "db.pool-size", "1",
                "db.connection-timeout", "300ms"))).database();
        try (Database db = Database.open(cfg); Connection busy = db.dataSource().getConnection()) {
            long start = System.nanoTime();
            assertThrows(SQLException.class, () -> db.dataSource().getConnection().close());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 250 && ms < 3_000, "waited " + ms + " ms");
        }
    }

    private void assertRefused(int port, String user, String password) {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url(port), user, password)
                .close(), user + " with password '" + password + "' must not get in");
        assertFalse(e.getMessage().isBlank());
        assertTrue(e.getSQLState() == null || e.getSQLState().startsWith("28") || e.getSQLState().startsWith("08"),
                e.getSQLState() + " " + e.getMessage());
    }

    private CalltrackConfig.Database config(int port) {
        return CalltrackConfig.from(ConfigSource.of(Map.of("data.dir", tmp.resolve("data").toString(),
                "db.embedded.port", String.valueOf(port),
                "db.embedded.binaries-dir", TestDatabase.EMBEDDED_BINARIES.toString()))).database();
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String one(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
