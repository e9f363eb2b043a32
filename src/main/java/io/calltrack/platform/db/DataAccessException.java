package io.calltrack.platform.db;

import java.sql.SQLException;

/** An SQL statement failed for a reason other than an unreachable database (constraint, syntax, ...). */
public final class DataAccessException extends RuntimeException {
    public DataAccessException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }
}
