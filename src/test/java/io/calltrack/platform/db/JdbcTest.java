package io.calltrack.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.calltrack.support.TestDatabase;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JdbcTest {
    @Test
    void aHandleTransactionCommitsWhenItReturnsAndRollsBackWhenItThrows() {
        try (TestDatabase db = TestDatabase.create()) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            jdbc.withHandle(h -> h.execute("CREATE TABLE t (v text)"));
            jdbc.inHandleTransaction(h -> h.createUpdate("INSERT INTO t VALUES (:v)").bind("v", "kept").execute());
            assertThrows(DataAccessException.class, () -> jdbc.inHandleTransaction(h -> {
                h.createUpdate("INSERT INTO t VALUES (:v)").bind("v", "rolled back").execute();
                return h.execute("INSERT INTO missing VALUES (1)");
            }));
            assertEquals(java.util.List.of("kept"),
                    jdbc.withHandle(h -> h.createQuery("SELECT v FROM t").mapTo(String.class).list()));
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedIsUnavailableNotADataError() {
        DataSource down = new org.postgresql.ds.PGSimpleDataSource() {
            @Override
            public java.sql.Connection getConnection() throws SQLException {
                throw new SQLException("Connection refused", "08001");
            }
        };
        assertThrows(DatabaseUnavailableException.class,
                () -> new Jdbc(down).withHandle(h -> h.execute("SELECT 1")));
    }
}
