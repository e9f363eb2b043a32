package io.calltrack.tracking;

import io.calltrack.db.Jdbc;
import java.util.List;
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

    static VisitorSessions.Visit visit(String clientId) {
        return new VisitorSessions.Visit(clientId, Optional.of("https://shop.example/"), Optional.empty(),
                VisitorSession.Utm.NONE, Optional.of("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"),
                Optional.of("192.0.2.1"));
    }
}
