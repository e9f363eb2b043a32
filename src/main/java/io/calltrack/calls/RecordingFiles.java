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

    /** Deletes the recording's file; false when there was none to delete (already gone, or outside the directory). */
    public boolean delete(String stored) throws IOException {
        Optional<Path> file = resolve(stored);
        return file.isPresent() && Files.deleteIfExists(file.get());
    }
}
