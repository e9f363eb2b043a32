package io.calltrack.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The repositories' way into the database: transaction boundaries, SQL with named parameters (JDBI
 * {@link Handle}s) and translation of connection failures into {@link DatabaseUnavailableException}.
 * Repositories still on plain JDBC use the {@link Connection} variants; a {@link Handle}'s
 * {@code getConnection()} lets both take part in one transaction while they move over.
 */
public final class Jdbc {
    private final DataSource dataSource;
    private final Jdbi jdbi;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    @FunctionalInterface
    public interface HandleWork<T> {
        T run(Handle h) throws SQLException;
    }

    /** Runs {@code work} on a JDBI handle in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inHandleTransaction(HandleWork<T> work) {
        return translated(() -> jdbi.inTransaction(work::run));
    }

    /** Runs {@code work} on a JDBI handle in auto-commit mode (single statements, reads). */
    public <T> T withHandle(HandleWork<T> work) {
        return translated(() -> jdbi.withHandle(work::run));
    }

    private interface JdbiCall<T> {
        T call() throws SQLException;
    }

    private static <T> T translated(JdbiCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw translate(e);
        } catch (JdbiException e) {
            throw translate(e);
        }
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode (single statements, reads). */
    public <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Connection-class SQL states (08xxx) and pool timeouts mean the database is unreachable. */
    public static RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        if (state == null || state.startsWith("08") || state.startsWith("57P")) {
            return new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e);
        }
        return new DataAccessException(e);
    }

    /** JDBI wraps the driver's exception; the SQL state inside decides as for plain JDBC. */
    public static RuntimeException translate(JdbiException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return translate(sql);
            }
        }
        return e;
    }
}
