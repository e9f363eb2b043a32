package io.calltrack.tracking;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Known crawlers and tools by user-agent substring (config {@code tracking.bot-user-agents}); they get no lease. */
public final class BotDetector {
    private final List<String> patterns;

    public BotDetector(List<String> patterns) {
        this.patterns = patterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /** A missing user agent counts as a bot: every real browser sends one. */
    public boolean isBot(Optional<String> userAgent) {
        if (userAgent.isEmpty() || userAgent.get().isBlank()) return true;
        String ua = userAgent.get().toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(ua::contains);
    }
}
