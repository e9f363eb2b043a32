package io.calltrack.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * calltrack as an admin runs it: {@code io.calltrack.Main} in a JVM of its own, with a properties file, so a test
 * can kill it, send it SIGTERM and read what it printed. Every wait is bounded; {@link #close()} kills what is left,
 * the embedded PostgreSQL of its data directory included.
 */
public final class ChildServer implements AutoCloseable {
    private final Process process;
    private final Path dataDir;
    private final List<String> lines = new ArrayList<>();

    private ChildServer(Process process, Path dataDir) {
        this.process = process;
        this.dataDir = dataDir;
        Thread reader = new Thread(this::readOutput, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts calltrack on {@code dataDir} with these settings (on top of loopback listeners on free ports, SIP off
     * and the shared unpacked PostgreSQL); the properties file is written into {@code work}.
     */
    public static ChildServer start(Path work, Path dataDir, Map<String, String> overrides) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("data.dir", dataDir.toString());
        settings.put("db.embedded.binaries-dir", TestDatabase.EMBEDDED_BINARIES.toString());
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", "0");
        settings.put("agi.host", "127.0.0.1");
        settings.put("agi.port", "0");
        settings.put("sip.host", "127.0.0.1");
        settings.put("sip.enabled", "false");
        settings.put("recording.dir", dataDir.resolve("recordings").toString());
        settings.put("admin.token", TestServer.ADMIN_TOKEN);
        settings.putAll(overrides);
        try {
            Path file = Files.createTempFile(work, "calltrack", ".properties");
            StringBuilder text = new StringBuilder();
            settings.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
            Files.writeString(file, text);
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, "io.calltrack.Main",
                    "--config", file.toString()).redirectErrorStream(true);
            // the settings are the file's alone: a CALLTRACK_ variable of the shell running the tests would win
            builder.environment().keySet().removeIf(name -> name.startsWith("CALLTRACK_"));
            Process p = builder.start();
            return new ChildServer(p, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            synchronized (lines) {
                lines.add(null); // end of output
                lines.notifyAll();
            }
        }
    }

    /** Waits for a line printed so far or within {@code timeout} matching {@code wanted}. */
    public Optional<String> awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    String line = lines.get(seen);
                    if (line == null) return Optional.empty();
                    if (wanted.test(line)) return Optional.of(line);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return Optional.empty();
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** Waits until calltrack says it is running; fails with what it printed otherwise. */
    public ChildServer awaitRunning(Duration timeout) throws InterruptedException {
        if (awaitLine(l -> l.contains("calltrack is running"), timeout).isEmpty()) {
            throw new AssertionError("calltrack did not start within " + timeout + ":\n" + output());
        }
        return this;
    }

    /** The port the HTTP API listens on, from the line saying calltrack is running. */
    public int httpPort() throws InterruptedException {
        String line = awaitLine(l -> l.contains("calltrack is running"), Duration.ZERO).orElseThrow();
        return Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1).trim());
    }

    public String output() {
        synchronized (lines) {
            return String.join("\n", lines.stream().filter(l -> l != null).toList());
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL. (Through the handle: Process.destroy* would also close our end of its output.) */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /** SIGTERM, as systemd or Ctrl-C stop it; its output is still read to the end. */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** The exit code, or empty when it is still running after {@code timeout}. */
    public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return Optional.empty();
        awaitLine(l -> false, Duration.ofSeconds(5)); // the rest of its output
        return Optional.of(process.exitValue());
    }

    /** The embedded PostgreSQL running on this server's data directory, if any. */
    public Optional<ProcessHandle> postgres() {
        Path pidFile = dataDir.resolve("pg").resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) return Optional.empty();
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
                    .filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Optional<ProcessHandle> pg = postgres();
        if (pg.isPresent()) {
            pg.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown, nobody is connected any more
            try {
                pg.get().onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                pg.get().destroyForcibly();
            }
        }
    }
}
