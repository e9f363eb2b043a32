package io.calltrack.calls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps a stored recording path inside the recordings directory, whatever the path or symlinks say: the recording
 * endpoint serves it, the transcription job reads it.
 */
public final class RecordingFiles {
    private RecordingFiles() {}

    /** The regular file {@code stored} names inside {@code recordingDir}, or empty (no path, gone, or outside). */
    public static Optional<Path> resolve(Path recordingDir, String stored) throws IOException {
        if (stored == null || stored.isBlank() || stored.indexOf('\0') >= 0) return Optional.empty();
        try {
            Path root = recordingDir.toRealPath();
            Path candidate = root.resolve(stored).normalize();
            Path real = candidate.toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real)) return Optional.empty();
            return Optional.of(real);
        } catch (NoSuchFileException | java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }
}
