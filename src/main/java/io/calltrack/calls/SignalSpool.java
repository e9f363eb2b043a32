package io.calltrack.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable, append-only spool of signals that could not be written while PostgreSQL was unreachable: one JSON line
 * per signal, forced to disk before {@link #append} returns, so a crash or restart of calltrack loses nothing.
 * A line torn by a crash mid-write is skipped on reading.
 */
public final class SignalSpool {
    private static final Logger log = LoggerFactory.getLogger(SignalSpool.class);

    private final Path file;
    private final Path quarantine;
    private final ObjectMapper json;
    /** Signals in {@link #file}: kept in memory so the hot path's "anything waiting?" costs no system call. */
    private int waiting;

    /** A signal that could not be applied, with why and when it was set aside. */
    public record Quarantined(CallSignal signal, String reason, Instant quarantinedAt) {}

    private final Clock clock;

    public SignalSpool(Path directory, ObjectMapper json, Clock clock) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool directory " + directory, e);
        }
        this.file = directory.resolve("call-signals.jsonl");
        this.quarantine = directory.resolve("quarantine.jsonl");
        this.json = json;
        this.clock = clock;
        this.waiting = readAll().size();
    }

    public void append(CallSignal signal) {
        appendAll(List.of(signal));
    }

    /** Appends the signals in order, forced to disk once for all of them. */
    public synchronized void appendAll(List<CallSignal> signals) {
        appendLines(file, signals);
        waiting += signals.size();
    }

    /** Sets a signal aside for an admin: appended, forced to disk, never read back by the replay. */
    public synchronized void quarantine(CallSignal signal, String reason) {
        appendLines(quarantine, List.of(new Quarantined(signal, reason, clock.instant())));
    }

    /** How many signals wait in quarantine. */
    public synchronized long quarantined() {
        if (!Files.exists(quarantine)) return 0;
        try (var lines = Files.lines(quarantine, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + quarantine, e);
        }
    }

    private void appendLines(Path target, List<?> values) {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            StringBuilder lines = new StringBuilder();
            for (Object v : values) lines.append(json.writeValueAsString(v)).append('\n');
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) ch.write(bytes);
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + "; a call event may be lost", e);
        }
    }

    public synchronized boolean isEmpty() {
        return waiting == 0;
    }

    /** Every spooled signal, oldest first. */
    public synchronized List<CallSignal> readAll() {
        List<CallSignal> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    out.add(json.readValue(line, CallSignal.class));
                } catch (IOException e) {
                    log.warn("skipping an unreadable line in {} (torn by a crash?): {}", file, e.getMessage());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spool " + file, e);
        }
    }

    /** Drops the first {@code count} signals (they are in the database now), keeping any appended meanwhile. */
    public synchronized void removeFirst(int count) {
        List<CallSignal> rest = readAll();
        rest = rest.subList(Math.min(count, rest.size()), rest.size());
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            StringBuilder sb = new StringBuilder();
            for (CallSignal s : rest) sb.append(json.writeValueAsString(s)).append('\n');
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(false);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            waiting = rest.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the spool " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    public Path quarantineFile() {
        return quarantine;
    }
}
