package io.calltrack.telephony.agi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scripts the FastAGI server offers, by path: {@code agi://host:4573/incoming} runs the script registered as
 * {@code incoming}. Immutable: {@link #with} returns a new registry.
 */
public final class AgiScripts {
    private final Map<String, AgiScript> byPath;

    private AgiScripts(Map<String, AgiScript> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    public static AgiScripts none() {
        return new AgiScripts(Map.of());
    }

    public AgiScripts with(String path, AgiScript script) {
        if (!path.matches("[A-Za-z0-9._\\-/]+") || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("AGI script path must look like 'incoming' or 'calls/incoming': " + path);
        }
        if (byPath.containsKey(path)) {
            throw new IllegalArgumentException("AGI script path registered twice: " + path);
        }
        Map<String, AgiScript> next = new LinkedHashMap<>(byPath);
        next.put(path, script);
        return new AgiScripts(next);
    }

    public Optional<AgiScript> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    public Set<String> paths() {
        return byPath.keySet();
    }
}
