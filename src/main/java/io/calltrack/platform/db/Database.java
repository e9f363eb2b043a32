package io.calltrack.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.config.CalltrackConfig;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, and the embedded PostgreSQL behind it when no JDBC URL is configured.
 * The embedded data directory persists, so a restart keeps every site, number and call.
 * Closing stops the pool, then the embedded server: the application closes this last, after its own writes.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final Optional<EmbeddedPostgresServer> embedded;
    private final HikariDataSource dataSource;

    private Database(Optional<EmbeddedPostgresServer> embedded, HikariDataSource dataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
    }

    public static Database open(CalltrackConfig.Database cfg) {
        Optional<EmbeddedPostgresServer> embedded = cfg.embedded()
                ? Optional.of(EmbeddedPostgresServer.start(cfg)) : Optional.empty();
        String url = embedded.map(EmbeddedPostgresServer::jdbcUrl).orElseGet(() -> cfg.url().orElseThrow());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("calltrack-db");
        hc.setJdbcUrl(url);
        hc.setUsername(embedded.map(EmbeddedPostgresServer::user).orElse(cfg.user()));
        hc.setPassword(embedded.map(EmbeddedPostgresServer::password).orElse(cfg.password()));
        hc.setMaximumPoolSize(cfg.poolSize());
        // fail fast at start if PostgreSQL is unreachable, and quickly at run time so callers can fall back
        hc.setConnectionTimeout(cfg.connectionTimeout().toMillis());
        hc.setInitializationFailTimeout(10_000);
        try {
            return new Database(embedded, new HikariDataSource(hc));
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedPostgresServer::close);
            throw new DatabaseUnavailableException("cannot connect to PostgreSQL at " + url + ": " + rootMessage(e), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Why the database is gone when calltrack knows it (the embedded server stopped on its own); else empty. */
    public Optional<String> failure() {
        return embedded.flatMap(EmbeddedPostgresServer::failure);
    }

    @Override
    public void close() {
        dataSource.close();
        embedded.ifPresent(pg -> {
            try {
                pg.close();
            } catch (RuntimeException e) {
                log.warn("the embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        });
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }
}
