package io.calltrack;

import io.calltrack.access.AccountStore;
import io.calltrack.access.ApiTokens;
import io.calltrack.access.PasswordHasher;
import io.calltrack.access.PasswordRules;
import io.calltrack.access.UserCommand;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigException;
import io.calltrack.config.ConfigSource;
import io.calltrack.platform.db.Database;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.db.Migrations;
import io.calltrack.platform.net.PortInUseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code calltrack [serve|migrate|user ...] [--config FILE]}. The configuration file defaults to
 * {@code $CALLTRACK_CONFIG}, then {@code ./calltrack.properties} when present; environment variables override it.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = "serve";
        Optional<Path> configFile = defaultConfigFile();
        List<String> userArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "serve", "migrate", "user" -> {
                    if (command.equals("user")) userArgs.add(args[i]);
                    else command = args[i];
                }
                case "--config" -> {
                    if (i + 1 == args.length) fail("--config needs a file name");
                    configFile = Optional.of(Path.of(args[++i]));
                }
                default -> {
                    if (command.equals("user")) userArgs.add(args[i]);
                    else fail("unknown argument '" + args[i] + "'; usage: calltrack [serve|migrate|user ...] "
                            + "[--config FILE]");
                }
            }
        }
        CalltrackConfig config;
        try {
            if (configFile.isPresent() && !Files.isReadable(configFile.get())) {
                throw new ConfigException("--config", "cannot read " + configFile.get());
            }
            config = CalltrackConfig.from(ConfigSource.load(configFile, System.getenv()));
        } catch (ConfigException e) {
            fail("configuration error: " + e.getMessage());
            return;
        }
        if (command.equals("user")) {
            System.exit(user(config, userArgs));
        }
        try {
            if (command.equals("migrate")) {
                try (Database db = Database.open(config.database())) {
                    Migrations.apply(db.dataSource());
                }
                return;
            }
            serve(config);
        } catch (PortInUseException e) {
            fail(e.getMessage());
        } catch (Exception e) {
            // everything that started is stopped by now: exit instead of leaving threads that keep the JVM up
            log.error("calltrack did not start: {}", describe(e));
            log.debug("the stack trace of the failed start", e);
            System.exit(1);
        }
    }

    /**
     * Starts everything and runs until SIGTERM or Ctrl-C, which stop it in order: listeners (requests and calls
     * in flight finish), call events and deliveries flushed, the connection pool, the database last. No other
     * shutdown hook stops a part of calltrack on its own.
     */
    private static void serve(CalltrackConfig config) throws Exception {
        App app = App.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping calltrack");
            app.close();
            log.info("calltrack stopped");
            stopped.countDown();
        }, "shutdown"));
        log.info("calltrack is running; management API on port {}", app.httpPort());
        stopped.await();
    }

    /**
     * {@code calltrack user ...} against the configured database, migrated first. With the embedded PostgreSQL it
     * starts that database itself, so calltrack must be stopped (a running one holds it: the command says so).
     */
    private static int user(CalltrackConfig config, List<String> args) {
        Database db;
        try {
            db = Database.open(config.database());
        } catch (RuntimeException e) {
            System.err.println("calltrack: " + describe(e) + (config.database().embedded()
                    ? " (the user command opens the embedded PostgreSQL itself: stop calltrack, run it, start "
                    + "calltrack again; while calltrack runs, an owner can do the same with the API)" : ""));
            return 1;
        }
        try (db) {
            Migrations.apply(db.dataSource());
            UserCommand command = new UserCommand(new AccountStore(new Jdbc(db.dataSource()),
                    new ApiTokens(new SecureRandom())), new PasswordHasher(), PasswordRules.standard(),
                    new SecureRandom(), Clock.systemUTC(), System.out);
            return command.run(args, Main::typedPassword);
        } catch (RuntimeException e) {
            System.err.println("calltrack: " + describe(e));
            return 1;
        }
    }

    /** The password typed: without echo on a terminal, else the first line of standard input. */
    private static Optional<String> typedPassword() {
        java.io.Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Password (empty: generate one): ");
            return typed == null ? Optional.empty() : Optional.of(new String(typed));
        }
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            return Optional.ofNullable(line);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** The message, and the root cause's when it adds something: what an admin acts on, without the trace. */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root == e || root.getMessage() == null || message.contains(root.getMessage()) ? message
                : message + " (" + root.getMessage() + ")";
    }

    private static Optional<Path> defaultConfigFile() {
        String env = System.getenv(ConfigSource.CONFIG_FILE_VARIABLE);
        if (env != null && !env.isBlank()) return Optional.of(Path.of(env));
        Path local = Path.of("calltrack.properties");
        return Files.exists(local) ? Optional.of(local) : Optional.empty();
    }

    private static void fail(String message) {
        System.err.println("calltrack: " + message);
        System.exit(2);
    }
}
