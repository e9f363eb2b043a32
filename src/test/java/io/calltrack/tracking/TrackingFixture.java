package io.calltrack.tracking;

import io.calltrack.platform.db.Jdbc;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Builds sites, channels and numbers through the real repositories for tracking tests. */
public final class TrackingFixture {
    static final String FALLBACK = "+12125550100";

    private final SiteRepository sites;
    private final ChannelRepository channels;
    private final TrackedNumberRepository numbers;

    public TrackingFixture(DataSource ds) {
        Jdbc jdbc = new Jdbc(ds);
        this.sites = new SiteRepository(jdbc);
        this.channels = new ChannelRepository(jdbc);
        this.numbers = new TrackedNumberRepository(jdbc);
    }

    public Site site(int holdSeconds) {
        return sites.create(new SiteRepository.SiteData("Shop", "Europe/Berlin", 30, 30, holdSeconds, FALLBACK,
                List.of(), false, Optional.empty()), UUID.randomUUID().toString());
    }

    Channel channel(Site site, String name, Channel.Tracking tracking, String utmSource) {
        return channels.create(site.id(), new ChannelRepository.ChannelData(name, tracking,
                Optional.ofNullable(utmSource), Optional.empty(), Optional.empty(), Optional.empty(), 100));
    }

    TrackedNumber staticNumber(Site site, Channel channel, String e164) {
        return numbers.create(site.id(), new TrackedNumberRepository.NumberData(e164, TrackedNumber.Kind.STATIC,
                Optional.of(channel.id()), false));
    }

    /** Pool numbers +1312555{first..first+count-1}, zero-padded to 4 digits. */
    List<TrackedNumber> pool(Site site, int first, int count) {
        return java.util.stream.IntStream.range(first, first + count)
                .mapToObj(i -> numbers.create(site.id(), new TrackedNumberRepository.NumberData(
                        String.format("+1312555%04d", i), TrackedNumber.Kind.POOL, Optional.empty(), false)))
                .toList();
    }

    /**
     * A visit to {@code url} (from {@code referrer}, may be null) as the visitor API reads it: the UTM parameters and
     * click ids of the URL's query.
     */
    static VisitorSessions.Visit visitTo(String clientId, String url, String referrer) {
        Map<String, List<String>> q = new QueryStringDecoder(url).parameters();
        VisitorSession.Utm utm = new VisitorSession.Utm(first(q, "utm_source"), first(q, "utm_medium"),
                first(q, "utm_campaign"), first(q, "utm_term"), first(q, "utm_content"));
        return new VisitorSessions.Visit(clientId, Optional.of(url), Optional.ofNullable(referrer), utm,
                ClickIds.fromQuery(q), AnalyticsIds.NONE, Optional.of("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"),
                Optional.of("192.0.2.1"));
    }

    private static Optional<String> first(Map<String, List<String>> query, String name) {
        return Optional.ofNullable(query.get(name)).map(v -> v.get(0));
    }

    static VisitorSessions.Visit visit(String clientId) {
        return visitFrom(clientId, "192.0.2.1");
    }

    /** A browser's visit to the home page from the client address {@code ip}. */
    static VisitorSessions.Visit visitFrom(String clientId, String ip) {
        return new VisitorSessions.Visit(clientId, Optional.of("https://shop.example/"), Optional.empty(),
                VisitorSession.Utm.NONE, ClickIds.NONE, AnalyticsIds.NONE,
                Optional.of("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"),
                Optional.of(ip));
    }
}
