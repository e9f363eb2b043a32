package io.calltrack.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's own HTML, JavaScript and CSS, from {@code io/calltrack/console/web/} in the jar. A name is one path
 * segment of letters, digits, dots, dashes and underscores that starts with a letter or digit, so no name can
 * leave that folder. {@value #LIBRARY_PLACEHOLDER} in a file becomes the libraries' versioned folder.
 */
final class ConsoleFiles {
    static final String LIBRARY_PLACEHOLDER = "@LIB@";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    private static final String ROOT = "io/calltrack/console/web/";

    private final String libraryPath;
    /** Files found (names are checked first, so this holds at most the files the jar has). */
    private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

    ConsoleFiles(String libraryPath) {
        this.libraryPath = libraryPath;
    }

    /** A file of the console's top folder, or of {@code folder} (a fixed name such as {@code pages}) when given. */
    Optional<Asset> find(Optional<String> folder, String name) {
        if (!NAME.matcher(name).matches() || name.contains("..") || Asset.contentType(name).isEmpty()) {
            return Optional.empty();
        }
        String path = ROOT + folder.map(f -> f + "/").orElse("") + name;
        Asset known = loaded.get(path);
        if (known != null) return Optional.of(known);
        return read(path, name).map(a -> {
            loaded.put(path, a);
            return a;
        });
    }

    private Optional<Asset> read(String path, String name) {
        try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) return Optional.empty();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(Asset.of(name, text.replace(LIBRARY_PLACEHOLDER, libraryPath)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
