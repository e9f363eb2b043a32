package io.calltrack.tracking;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** JDBC conversions the tracking repositories share: nullable columns as Optionals, instants as timestamptz. */
final class Rows {
    private Rows() {}

    static Optional<String> string(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    static Optional<Long> id(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    static void setString(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) ps.setString(index, value.get());
        else ps.setNull(index, Types.VARCHAR);
    }

    static void setId(PreparedStatement ps, int index, Optional<Long> value) throws SQLException {
        if (value.isPresent()) ps.setLong(index, value.get());
        else ps.setNull(index, Types.BIGINT);
    }
}
