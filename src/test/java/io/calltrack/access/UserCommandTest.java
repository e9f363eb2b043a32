package io.calltrack.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.support.ChildServer;
import io.calltrack.support.TestDatabase;
import io.calltrack.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar calltrack.jar user ...} as an admin runs it when nobody can log in: a JVM of its own. */
class UserCommandTest {
    private static TestDatabase db;
    private static AccountStore accounts;
    private static final PasswordHasher hasher = new PasswordHasher();
    @TempDir
    static Path work;
    private static Path config;

    @BeforeAll
    static void start() throws IOException {
        db = TestDatabase.create();
        accounts = new AccountStore(new Jdbc(db.dataSource()), new ApiTokens(new SecureRandom()));
        config = work.resolve("calltrack.properties");
        Files.writeString(config, "db.url=" + db.url() + "\ndata.dir=" + work.resolve("data") + "\n");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    record Run(int exit, String output) {}

    /** Runs calltrack with {@code args}, {@code input} on its standard input. */
    static Run calltrack(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty(
                "surefire.test.class.path", System.getProperty("java.class.path")), "io.calltrack.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CALLTRACK_"));
        Process p = builder.start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return new Run(p.exitValue(), out);
    }

    @Test
    void addResetAndDisableAgainstTheConfiguredDatabase() throws Exception {
        Run add = calltrack("a password typed in\n", "user", "add", "rescue@example.com", "--role", "owner",
                "--config", config.toString());
        assertEquals(0, add.exit(), add.output());
        assertTrue(add.output().contains("Created user"), add.output());
        AccountStore.LoginRow row = accounts.forLogin("rescue@example.com").orElseThrow();
        assertEquals(UserRole.OWNER, row.role());
        assertTrue(hasher.matches("a password typed in", row.passwordHash().orElseThrow()));
        assertFalse(add.output().contains("a password typed in"), "a typed password is not echoed");

        Run weak = calltrack("short\n", "user", "reset-password", "rescue@example.com", "--config", config.toString());
        assertEquals(1, weak.exit(), weak.output());
        assertTrue(weak.output().contains("at least 10 are needed"), weak.output());

        Run generated = calltrack("", "user", "reset-password", "rescue@example.com", "--config", config.toString());
        assertEquals(0, generated.exit(), generated.output());
        String line = generated.output().lines().filter(l -> l.startsWith("Generated password for")).findFirst()
                .orElseThrow(() -> new AssertionError(generated.output()));
        String password = line.substring(line.lastIndexOf(' ') + 1);
        assertTrue(hasher.matches(password, accounts.forLogin("rescue@example.com").orElseThrow().passwordHash()
                .orElseThrow()));

        Run disable = calltrack("", "user", "disable", "rescue@example.com", "--config", config.toString());
        assertEquals(0, disable.exit(), disable.output());
        assertTrue(accounts.forLogin("rescue@example.com").orElseThrow().disabled());

        Run unknown = calltrack("", "user", "disable", "nobody@example.com", "--config", config.toString());
        assertEquals(1, unknown.exit());
        assertTrue(unknown.output().contains("no user 'nobody@example.com'"), unknown.output());
        Run usage = calltrack("", "user", "promote", "x", "--config", config.toString());
        assertEquals(2, usage.exit());
        assertTrue(usage.output().contains("usage: calltrack user add LOGIN"), usage.output());
    }

    @Test
    void withTheEmbeddedDatabaseItSaysToStopTheRunningServerFirst() throws Exception {
        Path data = work.resolve("embedded");
        try (ChildServer server = ChildServer.start(work, data, Map.of())) {
            server.awaitRunning(Duration.ofSeconds(120));
            Path embedded = work.resolve("embedded.properties");
            Files.writeString(embedded, "data.dir=" + data + "\ndb.embedded.binaries-dir="
                    + TestDatabase.EMBEDDED_BINARIES + "\nadmin.token=" + TestServer.ADMIN_TOKEN + "\n");
            Run refused = calltrack("a password typed in\n", "user", "add", "late@example.com", "--config",
                    embedded.toString());
            assertEquals(1, refused.exit(), refused.output());
            assertTrue(refused.output().contains("another calltrack is running on the embedded PostgreSQL")
                    && refused.output().contains("stop calltrack, run it, start calltrack again"), refused.output());

            server.sigterm();
            assertTrue(server.awaitExit(Duration.ofSeconds(60)).isPresent());
            Run added = calltrack("a password typed in\n", "user", "add", "late@example.com", "--config",
                    embedded.toString());
            assertEquals(0, added.exit(), added.output());
        }
    }
}
