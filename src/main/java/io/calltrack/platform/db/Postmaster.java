package io.calltrack.platform.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL server process of a data directory, as its {@code postmaster.pid} names it. A process counts only
 * when it is alive, is a {@code postgres} program and, when its command line can be read, was started on this very
 * directory: a pid file outliving its server may name a recycled pid of something else entirely.
 */
record Postmaster(long pid, ProcessHandle process) {

    /** The live server of {@code dataDir}, if any. */
    static Optional<Postmaster> of(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        List<String> lines;
        try {
            if (!Files.exists(pidFile)) return Optional.empty();
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            return Optional.empty(); // removed while we read it: the server just stopped
        }
        if (lines.size() < 2) return Optional.empty(); // being written by a server starting right now
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> isPostgres(p) && startedOn(p, dataDir, Path.of(lines.get(1).trim())))
                .map(p -> new Postmaster(pid, p));
    }

    private static boolean isPostgres(ProcessHandle p) {
        return p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("postgres")).orElse(false);
    }

    /** The pid file records the directory the server runs on; its {@code -D} argument must say the same. */
    private static boolean startedOn(ProcessHandle p, Path dataDir, Path recorded) {
        if (!same(recorded, dataDir)) return false;
        Optional<String[]> args = p.info().arguments();
        if (args.isEmpty()) return true; // not readable on this platform: the pid file and the program name decide
        String[] a = args.get();
        for (int i = 0; i + 1 < a.length; i++) {
            if (a[i].equals("-D")) return same(Path.of(a[i + 1]), dataDir);
        }
        return false;
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
