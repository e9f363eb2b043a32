package io.calltrack.recordings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The English model shipped in the jar ({@code com.alphacephei:vosk-model-en}, an archive holding
 * {@code assets/model-en-us/}, copied in by the build as {@code vosk-model-en.zip}). Vosk reads a model from a
 * directory, so it is unpacked once into {@code <data.dir>/models/en-<uuid>} at first use (the model's own uuid
 * names its version: an upgrade unpacks beside it), through a temporary directory so that an interrupted unpack is
 * never taken for a model.
 */
public final class ShippedModel {
    private static final Logger log = LoggerFactory.getLogger(ShippedModel.class);
    private static final String RESOURCE = "vosk-model-en.zip";
    private static final String ROOT = "assets/model-en-us/";

    private final Path modelsDir;

    public ShippedModel(Path modelsDir) {
        this.modelsDir = modelsDir;
    }

    /** The unpacked English model's directory, unpacking it if this is the first use. */
    public synchronized Path english() throws SpeechEngine.NoModel {
        try {
            String version = version().orElseThrow(() -> new SpeechEngine.NoModel("the shipped English model ("
                    + RESOURCE + ") is not in this build; set transcription.models.en to a Vosk model directory"));
            Path target = modelsDir.resolve("en-" + version);
            if (Files.isDirectory(target)) return target;
            log.info("unpacking the shipped English speech model into {} (once)", target);
            Files.createDirectories(modelsDir);
            Path partial = Files.createTempDirectory(modelsDir, ".unpacking-");
            try {
                try (ZipInputStream zip = open()) {
                    unpack(zip, partial);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(partial);
            }
            return target;
        } catch (IOException | UncheckedIOException e) {
            throw new SpeechEngine.NoModel("could not unpack the shipped English model into " + modelsDir + ": " + e);
        }
    }

    private static ZipInputStream open() throws IOException {
        InputStream in = ShippedModel.class.getResourceAsStream(RESOURCE);
        return in == null ? null : new ZipInputStream(in);
    }

    /** The model's uuid (an entry near the start of the archive: no need to read the 41 MB to know it). */
    private static Optional<String> version() throws IOException {
        try (ZipInputStream zip = open()) {
            if (zip == null) return Optional.empty();
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(ROOT + "uuid")) {
                    return Optional.of(new String(zip.readAllBytes(), StandardCharsets.UTF_8).trim()
                            .replaceAll("[^A-Za-z0-9-]", ""));
                }
            }
            return Optional.empty();
        }
    }

    private static void unpack(ZipInputStream zip, Path into) throws IOException {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            if (!entry.getName().startsWith(ROOT) || entry.isDirectory()) continue;
            Path out = into.resolve(entry.getName().substring(ROOT.length())).normalize();
            if (!out.startsWith(into)) continue; // an entry naming ../ is not part of a model
            Files.createDirectories(out.getParent());
            Files.copy(zip, out);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
