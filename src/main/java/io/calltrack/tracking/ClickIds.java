package io.calltrack.tracking;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The ad networks' click ids a landing page's URL carried: {@code gclid}, {@code gbraid}, {@code wbraid} (Google Ads),
 * {@code yclid} (Yandex Direct), {@code fbclid} (Facebook), {@code msclkid} (Microsoft Advertising). A value that is
 * not a plausible id (characters outside the URL-safe set, or longer than {@link #MAX_LENGTH}) is left out.
 */
public record ClickIds(Optional<String> gclid, Optional<String> gbraid, Optional<String> wbraid, Optional<String> yclid,
                       Optional<String> fbclid, Optional<String> msclkid) {
    public static final ClickIds NONE = new ClickIds(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());
    /** The URL parameter names, which are also the column names (in this order). */
    public static final List<String> NAMES = List.of("gclid", "gbraid", "wbraid", "yclid", "fbclid", "msclkid");
    static final int MAX_LENGTH = 256;
    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_LENGTH + "}");

    /** The click ids of a page URL's decoded query (the first value of each). */
    public static ClickIds fromQuery(Map<String, List<String>> query) {
        return of(name -> {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        });
    }

    /** Click ids by name (null: none); implausible values are left out. */
    public static ClickIds of(Function<String, String> valueByName) {
        List<Optional<String>> v = NAMES.stream().map(n -> plausible(valueByName.apply(n))).toList();
        return new ClickIds(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5));
    }

    /** The value of the id {@code name} (one of {@link #NAMES}). */
    public Optional<String> get(String name) {
        return switch (name) {
            case "gclid" -> gclid;
            case "gbraid" -> gbraid;
            case "wbraid" -> wbraid;
            case "yclid" -> yclid;
            case "fbclid" -> fbclid;
            case "msclkid" -> msclkid;
            default -> throw new IllegalArgumentException("no click id is named " + name);
        };
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * The ad network an auto-tagging click id stands for: Google Ads, Yandex Direct and Microsoft Advertising tag
     * their ads' links with nothing but their click id unless the advertiser adds UTM parameters. {@code fbclid}
     * implies nothing: Facebook adds it to every outgoing link, paid or not.
     */
    Optional<String> impliedSource() {
        if (gclid.isPresent() || gbraid.isPresent() || wbraid.isPresent()) return Optional.of("google");
        if (yclid.isPresent()) return Optional.of("yandex");
        if (msclkid.isPresent()) return Optional.of("bing");
        return Optional.empty();
    }

    /**
     * The campaign parameters of a visit with these click ids: a URL without {@code utm_source} whose click id names
     * an ad network counts as that network's paid click ({@code cpc} unless {@code utm_medium} says otherwise).
     */
    VisitorSession.Utm complete(VisitorSession.Utm utm) {
        Optional<String> network = impliedSource();
        if (utm.source().isPresent() || network.isEmpty()) return utm;
        return new VisitorSession.Utm(network, utm.medium().or(() -> Optional.of("cpc")), utm.campaign(), utm.term(),
                utm.content());
    }

    private static Optional<String> plausible(String value) {
        if (value == null) return Optional.empty();
        String v = value.trim();
        return PLAUSIBLE.matcher(v).matches() ? Optional.of(v) : Optional.empty();
    }
}
