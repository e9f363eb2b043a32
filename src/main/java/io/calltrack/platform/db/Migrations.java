package io.calltrack.platform.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Versioned schema migrations in {@code src/main/resources/db/migration}, applied by Flyway. */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    public static void apply(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        int applied = flyway.migrate().migrationsExecuted;
        log.info("Database schema at version {} ({} migrations applied now)",
                flyway.info().current().getVersion(), applied);
    }
}
