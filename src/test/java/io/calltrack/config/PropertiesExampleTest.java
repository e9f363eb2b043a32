package io.calltrack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * calltrack.properties.example is what an admin reads to know the keys: it lists every key the configuration reads,
 * no other, each with the default and range the code applies and a line of meaning.
 */
class PropertiesExampleTest {
    /** {@code # key=default  [range] meaning}; continuation lines ("#   ...") and prose do not match. */
    private static final Pattern KEY_LINE =
            Pattern.compile("^# ([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)=(\\S*)\\s+(?:\\[([^\\]]*)\\]\\s+)?(\\S.*)$");

    private record Documented(String defaultValue, String range, String meaning) {}

    private static Map<String, Documented> example() throws Exception {
        Map<String, Documented> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("calltrack.properties.example"))) {
            Matcher m = KEY_LINE.matcher(line);
            if (!m.matches()) {
                assertFalse(line.matches("^#\\s*[a-z][a-z0-9-]*\\.[a-z0-9.-]+=.*"),
                        "a key line without a meaning: " + line);
                continue;
            }
            Documented earlier = keys.put(m.group(1), new Documented(m.group(2),
                    m.group(3) == null ? "" : m.group(3), m.group(4)));
            assertEquals(null, earlier, m.group(1) + " is listed twice");
        }
        return keys;
    }

    @Test
    void theExampleListsEveryKeyAndNoOther() throws Exception {
        Set<String> documented = example().keySet();
        Set<String> read = CalltrackConfig.keys().stream().map(ConfigKey::name).collect(Collectors.toSet());
        assertEquals(Set.of(), read.stream().filter(k -> !documented.contains(k)).collect(Collectors.toSet()),
                "keys the configuration reads that calltrack.properties.example does not list");
        assertEquals(Set.of(), documented.stream().filter(k -> !read.contains(k)).collect(Collectors.toSet()),
                "keys calltrack.properties.example lists that the configuration does not read");
    }

    @Test
    void theExampleShowsTheDefaultAndRangeTheCodeApplies() throws Exception {
        Map<String, Documented> documented = example();
        for (ConfigKey key : CalltrackConfig.keys()) {
            Documented d = documented.get(key.name());
            if (d == null) continue; // the other test names it
            assertEquals(key.defaultValue(), d.defaultValue(), key.name() + "'s default");
            assertEquals(key.range(), d.range(), key.name() + "'s range");
        }
    }

    @Test
    void everyKeyHasItsOwnEnvironmentVariable() {
        Map<String, List<String>> byVariable = CalltrackConfig.keys().stream().collect(Collectors.groupingBy(
                ConfigKey::envName, Collectors.mapping(ConfigKey::name, Collectors.toList())));
        byVariable.forEach((variable, keys) -> assertEquals(1, keys.size(), variable + " would set " + keys));
        assertTrue(byVariable.containsKey("CALLTRACK_HTTP_MAX_CONNECTIONS_PER_IP"));
    }
}
