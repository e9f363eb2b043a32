package io.calltrack.tracking;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the channel a visit belongs to. A channel with rules matches when every rule it sets matches
 * (UTM values case-insensitively, the referrer host exactly or as a parent domain). Without a rule match,
 * a channel named {@code organic} takes visits from search engines and {@code direct} takes visits with
 * neither referrer nor UTM. Channels are tried in the order given (priority, then age).
 */
public final class ChannelRecognizer {
    private static final Set<String> SEARCH_ENGINES =
            Set.of("google", "bing", "yahoo", "yandex", "duckduckgo", "baidu", "ecosia", "naver", "seznam");

    /** What the snippet reports about a visit's origin. */
    public record Visit(Optional<String> referrer, VisitorSession.Utm utm) {}

    public Optional<Channel> recognise(List<Channel> channels, Visit visit) {
        Optional<String> host = visit.referrer().flatMap(ChannelRecognizer::host);
        for (Channel c : channels) {
            if (c.hasRules() && matches(c, visit.utm(), host)) return Optional.of(c);
        }
        String builtIn = visit.utm().isEmpty() && host.isEmpty() ? Channel.DIRECT
                : visit.utm().isEmpty() && host.filter(ChannelRecognizer::isSearchEngine).isPresent() ? Channel.ORGANIC
                : null;
        if (builtIn == null) return Optional.empty();
        return channels.stream().filter(c -> !c.hasRules() && c.name().equalsIgnoreCase(builtIn)).findFirst();
    }

    private static boolean matches(Channel c, VisitorSession.Utm utm, Optional<String> host) {
        return same(c.utmSource(), utm.source()) && same(c.utmMedium(), utm.medium())
                && same(c.utmCampaign(), utm.campaign())
                && c.referrerHost().map(rule -> host.filter(h -> isHostOrSubdomain(h, rule)).isPresent()).orElse(true);
    }

    private static boolean same(Optional<String> rule, Optional<String> value) {
        return rule.map(r -> value.filter(r::equalsIgnoreCase).isPresent()).orElse(true);
    }

    private static boolean isHostOrSubdomain(String host, String rule) {
        String r = rule.toLowerCase(Locale.ROOT);
        return host.equals(r) || host.endsWith("." + r);
    }

    private static boolean isSearchEngine(String host) {
        for (String label : host.split("\\.")) {
            if (SEARCH_ENGINES.contains(label)) return true;
        }
        return false;
    }

    static Optional<String> host(String url) {
        try {
            return Optional.ofNullable(URI.create(url.trim()).getHost()).map(h -> h.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
