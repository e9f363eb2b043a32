package io.calltrack.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The third-party files the console uses, taken from their WebJars on the classpath (so they ship in the jar and
 * nothing is fetched at run time) and served under {@code /console/lib/{tag}/{name}}: {@code tag} is a hash of all
 * of them, so a new version is a new URL and browsers may cache each one for a year. Only the files named here are
 * served, whatever path is asked for.
 */
final class ConsoleLibraries {
    /** A WebJar by its Maven coordinates and where its files lie in the jar (npm WebJars and mvnpm differ). */
    private record Webjar(String group, String artifact, String root) {
        static Webjar npm(String artifact) {
            return new Webjar("org.webjars.npm", artifact, "META-INF/resources/webjars/" + artifact + "/");
        }

        static Webjar mvnpm(String artifact) {
            return new Webjar("org.mvnpm", artifact, "META-INF/resources/_static/" + artifact + "/");
        }

        /** The version on the classpath, from the jar's own pom.properties: the pom is the one place it is set. */
        String version() {
            Properties p = new Properties();
            try (InputStream in = resource("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p.getProperty("version");
        }
    }

    /**
     * A served file; {@code imports}: bare module specifiers rewritten to the served sibling (browsers resolve
     * {@code "preact"} only through an import map, which would be an inline script the CSP forbids).
     */
    private record LibraryFile(String name, Webjar jar, String path, Map<String, String> imports) {}

    private static final List<LibraryFile> FILES = List.of(
            new LibraryFile("preact.js", Webjar.npm("preact"), "dist/preact.module.js", Map.of()),
            new LibraryFile("hooks.js", Webjar.npm("preact"), "hooks/dist/hooks.module.js",
                    Map.of("from\"preact\"", "from\"./preact.js\"")),
            new LibraryFile("htm.js", Webjar.mvnpm("htm"), "dist/htm.module.js", Map.of()),
            new LibraryFile("uplot.js", Webjar.npm("uplot"), "dist/uPlot.esm.js", Map.of()),
            new LibraryFile("uplot.css", Webjar.npm("uplot"), "dist/uPlot.min.css", Map.of()));

    private final Map<String, Asset> files;
    private final String tag;

    private ConsoleLibraries(Map<String, Asset> files, String tag) {
        this.files = files;
        this.tag = tag;
    }

    /** Reads every file now: a missing WebJar or a changed import fails the start, not a user's page. */
    static ConsoleLibraries load() {
        Map<String, Asset> files = new LinkedHashMap<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (LibraryFile f : FILES) {
            String where = f.jar().root() + f.jar().version() + "/" + f.path();
            byte[] bytes;
            try (InputStream in = resource(where)) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!f.imports().isEmpty()) bytes = rewriteImports(where, bytes, f.imports());
            files.put(f.name(), Asset.of(f.name(), bytes));
            all.writeBytes(bytes);
        }
        return new ConsoleLibraries(Map.copyOf(files), Asset.sha256(all.toByteArray()).substring(0, 12));
    }

    private static byte[] rewriteImports(String where, byte[] bytes, Map<String, String> imports) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (var e : imports.entrySet()) {
            if (!text.contains(e.getKey())) {
                throw new IllegalStateException(where + " no longer has " + e.getKey() + ": update ConsoleLibraries");
            }
            text = text.replace(e.getKey(), e.getValue());
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream resource(String path) {
        InputStream in = ConsoleLibraries.class.getClassLoader().getResourceAsStream(path);
        if (in == null) throw new IllegalStateException(path + " is missing from the classpath (a WebJar in pom.xml)");
        return in;
    }

    /** The hash that names this set of files in their URLs. */
    String tag() {
        return tag;
    }

    /** The file, when {@code tag} is this set's and {@code name} one of its files. */
    Optional<Asset> find(String tag, String name) {
        return this.tag.equals(tag) ? Optional.ofNullable(files.get(name)) : Optional.empty();
    }
}
