package io.calltrack.platform.db;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The repositories' way into the database: transaction boundaries, SQL with named parameters (JDBI
 * {@link Handle}s) and translation of connection failures into {@link DatabaseUnavailableException}.
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
