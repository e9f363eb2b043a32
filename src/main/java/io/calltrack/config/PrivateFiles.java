package io.calltrack.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory and the secrets in it (admin token, database password) belong to the calltrack user alone:
 * created owner-only ({@code 0700}, {@code 0600}) in the same system call that creates them, so there is no moment
 * another local user could open them, and checked at every start with a warning that names the fix when someone
 * loosened them. On file systems without POSIX permissions (Windows) only the creation happens.
 */
public final class PrivateFiles {
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents) as {@code 0700}, or warns when the existing one is open to others. */
    public static Path directory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                warnIfOpen(dir, "700");
            } else if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
            } else {
                Files.createDirectories(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory " + dir.toAbsolutePath().normalize(), e);
        }
    }

    /**
     * The secret kept in {@code file}: read when the file exists (a warning when others may read it), else
     * generated (24 random bytes, hex), written to a new {@code 0600} file and logged as created, for {@code what}.
     * A missing directory is created {@code 0700}; an existing one is {@link #directory}'s to check.
     */
    public static String secret(Path file, String what) {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) directory(parent);
        try {
            if (Files.exists(file)) return existing(file);
            byte[] random = new byte[24];
            RANDOM.nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            FileAttribute<?>[] attributes = POSIX
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                    : new FileAttribute<?>[0];
            try (SeekableByteChannel out = Files.newByteChannel(file,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
                out.write(ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (FileAlreadyExistsException another) {
                return existing(file); // another process created it meanwhile: theirs is the one in use
            }
            log.info("Generated {} into {} (owner-only, 0600)", what, file.toAbsolutePath().normalize());
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file.toAbsolutePath().normalize(), e);
        }
    }

    private static String existing(Path file) throws IOException {
        warnIfOpen(file, "600");
        String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (secret.isEmpty()) {
            throw new IOException(file.toAbsolutePath().normalize() + " is empty: delete it to have a new secret "
                    + "generated, or write one into it");
        }
        return secret;
    }

    private static void warnIfOpen(Path path, String mode) throws IOException {
        if (!POSIX) return;
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (permissions.stream().noneMatch(GROUP_OR_OTHERS::contains)) return;
        Path shown = path.toAbsolutePath().normalize();
        log.warn("{} is accessible to other local users ({}); it should be the calltrack user's alone: chmod {} {}",
                shown, PosixFilePermissions.toString(permissions), mode, shown);
    }
}
