package io.calltrack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.calltrack.config.CalltrackConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dataDir;

    @Test
    void theEmbeddedDatabaseWritesThroughToDiskAndKeepsItsDataAcrossRestarts() throws Exception {
        CalltrackConfig.Database cfg = new CalltrackConfig.Database(Optional.empty(), "", "", 2,
                dataDir.resolve("pg"), 0);
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

    private static String one(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
