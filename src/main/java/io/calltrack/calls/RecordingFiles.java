package io.calltrack.calls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The recordings directory ({@code recording.dir}) and the files a call's {@code recording_path} names in it: a
 * stored path never leads outside it, whatever the path or symlinks say. The recording endpoint serves these files,
 * the transcription job reads them, retention and erasure delete them.
 */
public final class RecordingFiles {
    private final Path directory;

    public RecordingFiles(Path directory) {
        this.directory = directory;
    }

    /** The recording's file when it is there, inside the directory, and a regular file. */
    public Optional<Path> resolve(String stored) throws IOException {
        if (stored == null || stored.isBlank() || stored.indexOf('\0') >= 0) return Optional.empty();
        try {
            Path root = directory.toRealPath();
            Path real = root.resolve(stored).normalize().toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real)) return Optional.empty();
            return Optional.of(real);
        } catch (NoSuchFileException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the recording's file and its one-direction files; false when there was no recording to delete
     * (already gone, or outside the directory).
     */
    public boolean delete(String stored) throws IOException {
        Optional<Path> file = resolve(stored);
        if (file.isEmpty()) return false;
        for (String side : SIDES) {
            Optional<Path> one = resolve(side(Path.of(stored), side).toString());
            if (one.isPresent()) Files.deleteIfExists(one.get());
        }
        return Files.deleteIfExists(file.get());
    }

    /** The one-direction files' suffixes: {@link #side}. */
    public static final String CALLER = "caller";
    public static final String MANAGER = "manager";
    private static final String[] SIDES = {CALLER, MANAGER};

    /** {@code /x/42.wav} and {@code caller}: {@code /x/42-caller.wav}. */
    public static Path side(Path mixed, String side) {
        String name = mixed.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return mixed.resolveSibling(base + "-" + side + ".wav");
    }
}
