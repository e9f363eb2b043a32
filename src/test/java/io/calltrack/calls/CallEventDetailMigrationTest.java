package io.calltrack.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.platform.db.Migrations;
import io.calltrack.support.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Dial attempts stored before V17 named their details in snake_case: the upgrade renames them as the API shows them.
 */
class CallEventDetailMigrationTest {

    @Test
    void aStoredDialAttemptsDetailsAreRenamedAndOtherEventsStayAsTheyWere() throws Exception {
        try (HikariDataSource ds = TestDatabase.dataSource(TestDatabase.createEmptyDatabase(), 2)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("14").load().migrate();
            Jdbi jdbi = Jdbi.create(ds);
            jdbi.useHandle(h -> h.execute("INSERT INTO call (linkedid, called_number, attribution, started_at) "
                    + "VALUES ('1795382012.7', '+15551000', 'unknown_number', now())"));
            String event = "INSERT INTO call_event (call_id, event_key, kind, occurred_at, detail) SELECT id, ";
            jdbi.useHandle(h -> h.execute(event + "'dial/1', 'routed', now(), '{\"attempt\": 1, \"status\": \"ANSWER\", "
                    + "\"manager_id\": 7, \"talk_ms\": 31700, \"answered_by\": \"PJSIP/101-0000002a\"}' FROM call"));
            jdbi.useHandle(h -> h.execute(event + "'dial/2', 'routed', now(), "
                    + "'{\"attempt\": 2, \"status\": \"NOANSWER\"}' FROM call"));
            jdbi.useHandle(h -> h.execute(event + "'dialend/x', 'dial_end', now(), "
                    + "'{\"channel\": \"PJSIP/101-0000002a\", \"value\": \"ANSWER\"}' FROM call"));

            Migrations.apply(ds);

            assertEquals(List.of(
                    "dial/1|{\"status\": \"ANSWER\", \"talkMs\": 31700, \"attempt\": 1, \"managerId\": 7, "
                            + "\"answeredBy\": \"PJSIP/101-0000002a\"}",
                    "dial/2|{\"status\": \"NOANSWER\", \"attempt\": 2}",
                    "dialend/x|{\"value\": \"ANSWER\", \"channel\": \"PJSIP/101-0000002a\"}"),
                    jdbi.withHandle(h -> h.createQuery(
                                    "SELECT event_key, detail::text AS detail FROM call_event ORDER BY event_key")
                            .map((rs, ctx) -> rs.getString("event_key") + "|" + rs.getString("detail")).list()));
        }
    }
}
