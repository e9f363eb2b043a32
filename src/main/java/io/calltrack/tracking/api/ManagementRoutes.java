package io.calltrack.tracking.api;

import static io.calltrack.access.Permission.*;

import io.calltrack.platform.db.DataAccessException;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.routing.DialStrings;
import io.calltrack.tracking.Channel;
import io.calltrack.tracking.ChannelRepository;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.Site;
import io.calltrack.tracking.SiteRepository;
import io.calltrack.tracking.TrackedNumber;
import io.calltrack.tracking.TrackedNumberRepository;
import java.net.URI;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The management API for sites, channels, static numbers and pool numbers. */
public final class ManagementRoutes implements RouteProvider {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final SecureRandom random = new SecureRandom();
    private static final int MAX_ORIGINS = 50;

    private final SiteRepository sites;
    private final ChannelRepository channels;
    private final TrackedNumberRepository trackedNumbers;
    private final PhoneNumbers phoneNumbers;

    public ManagementRoutes(SiteRepository sites, ChannelRepository channels, TrackedNumberRepository trackedNumbers,
                            PhoneNumbers phoneNumbers) {
        this.sites = sites;
        this.channels = channels;
        this.trackedNumbers = trackedNumbers;
        this.phoneNumbers = phoneNumbers;
    }

    /**
     * Site body. POST and PUT (a full replace) give absent optional fields their defaults; PATCH changes only the
     * fields it names.
     */
    public record SiteRequest(String name, String timeZone, String fallbackNumber, Integer targetThresholdSeconds,
                              Integer repeatWindowDays, Integer sessionHoldSeconds, List<String> allowedOrigins,
                              Boolean trackIdOnUnattributed, String closedHoursDestination) {
        static SiteRequest of(Site s) {
            return new SiteRequest(s.name(), s.timeZone(), s.fallbackNumber(), s.targetThresholdSeconds(),
                    s.repeatWindowDays(), s.sessionHoldSeconds(), s.allowedOrigins(), s.trackIdOnUnattributed(),
                    s.closedHoursDestination().orElse(null));
        }
    }

    public record SiteView(long id, String name, String publicKey, String timeZone, String fallbackNumber,
                           int targetThresholdSeconds, int repeatWindowDays, int sessionHoldSeconds,
                           List<String> allowedOrigins, boolean trackIdOnUnattributed, String closedHoursDestination) {
        static SiteView of(Site s) {
            return new SiteView(s.id(), s.name(), s.publicKey(), s.timeZone(), s.fallbackNumber(),
                    s.targetThresholdSeconds(), s.repeatWindowDays(), s.sessionHoldSeconds(), s.allowedOrigins(),
                    s.trackIdOnUnattributed(), s.closedHoursDestination().orElse(null));
        }
    }

    /** Channel body: {@code tracking} is "static" or "dynamic"; rule fields are optional. */
    public record ChannelRequest(String name, String tracking, String utmSource, String utmMedium, String utmCampaign,
                                 String referrerHost, Integer priority) {
        static ChannelRequest of(Channel c) {
            ChannelView v = ChannelView.of(c);
            return new ChannelRequest(v.name(), v.tracking(), v.utmSource(), v.utmMedium(), v.utmCampaign(),
                    v.referrerHost(), v.priority());
        }
    }

    public record ChannelView(long id, long siteId, String name, String tracking, String utmSource, String utmMedium,
                              String utmCampaign, String referrerHost, int priority) {
        static ChannelView of(Channel c) {
            return new ChannelView(c.id(), c.siteId(), c.name(), c.tracking().name().toLowerCase(Locale.ROOT),
                    c.utmSource().orElse(null), c.utmMedium().orElse(null), c.utmCampaign().orElse(null),
                    c.referrerHost().orElse(null), c.priority());
        }
    }

    /** Number body: {@code kind} "static" (needs {@code channelId}) or "pool". */
    public record NumberRequest(String number, String kind, Long channelId, Boolean trackIdEntry) {
        static NumberRequest of(TrackedNumber n) {
            return new NumberRequest(n.e164(), n.kind().name().toLowerCase(Locale.ROOT), n.channelId().orElse(null),
                    n.trackIdEntry());
        }
    }

    public record NumberView(long id, long siteId, String e164, String display, String kind, Long channelId,
                             boolean trackIdEntry) {}

    @Override
    public List<Route> routes() {
        return Route.all(siteRoutes(), channelRoutes(), numberRoutes());
    }

    private List<Route> siteRoutes() {
        return Route.all(List.of(
                Route.guarded("GET", "/v1/sites", Need.of(SITE_READ), r -> ApiResponse.ok(sites.all().stream()
                        .filter(s -> r.visibleSites().contains(s.id())).map(SiteView::of).toList())),
                Route.guarded("POST", "/v1/sites", Need.of(SITES_CREATE), r -> ApiResponse.created(SiteView.of(
                        sites.create(siteData(r.bodyAs(SiteRequest.class)), newPublicKey())))),
                Route.guarded("GET", "/v1/sites/{id}", Need.site(SITE_READ, "id"),
                        r -> ApiResponse.ok(SiteView.of(site(r.pathId("id"))))),
                Route.guarded("DELETE", "/v1/sites/{id}", Need.site(SITE_DELETE, "id"),
                        r -> deleted(sites.delete(r.pathId("id")), () -> siteNotFound(r.pathId("id"))))),
                Route.replaceable("/v1/sites/{id}", Need.site(SITE_SETTINGS, "id"),
                        SiteRequest.class, r -> SiteRequest.of(site(r.pathId("id"))),
                        this::updateSite));
    }

    private List<Route> channelRoutes() {
        return Route.all(List.of(
                Route.guarded("GET", "/v1/sites/{siteId}/channels", Need.site(SITE_READ, "siteId"), r -> ApiResponse.ok(
                        channels.ofSite(site(r.pathId("siteId")).id()).stream().map(ChannelView::of).toList())),
                Route.guarded("POST", "/v1/sites/{siteId}/channels", Need.site(TRACKING_WRITE, "siteId"), r -> {
                    long siteId = site(r.pathId("siteId")).id();
                    ChannelRepository.ChannelData d = channelData(r.bodyAs(ChannelRequest.class));
                    return ApiResponse.created(ChannelView.of(unique(() -> channels.create(siteId, d),
                            "site " + siteId + " already has a channel named '" + d.name() + "'")));
                }),
                Route.guarded("GET", "/v1/sites/{siteId}/channels/{id}", Need.site(SITE_READ, "siteId"),
                        r -> ApiResponse.ok(ChannelView.of(channel(r)))),
                Route.guarded("DELETE", "/v1/sites/{siteId}/channels/{id}", Need.site(TRACKING_WRITE, "siteId"), r -> {
                    Channel existing = channel(r);
                    requireNoStaticNumbers(existing);
                    return deleted(channels.delete(existing.siteId(), existing.id()), () -> channelNotFound(r));
                })),
                Route.replaceable("/v1/sites/{siteId}/channels/{id}", Need.site(TRACKING_WRITE, "siteId"),
                        ChannelRequest.class, r -> ChannelRequest.of(channel(r)), (r, b) -> updateChannel(channel(r), b)));
    }

    /** A static number always has its channel (the schema says so too): its channel goes only after it. */
    private void requireNoStaticNumbers(Channel channel) {
        List<String> held = trackedNumbers.ofSite(channel.siteId()).stream()
                .filter(n -> n.kind() == TrackedNumber.Kind.STATIC && n.channelId().equals(Optional.of(channel.id())))
                .map(TrackedNumber::e164).toList();
        if (held.isEmpty()) return;
        throw ApiException.conflict("channel " + channel.id() + " is the channel of " + held.size() + " static number"
                + (held.size() == 1 ? "" : "s") + " (" + String.join(", ", held.subList(0, Math.min(5, held.size())))
                + (held.size() > 5 ? ", …" : "") + "): delete them or give them another channel first");
    }

    private List<Route> numberRoutes() {
        return Route.all(List.of(
                Route.guarded("GET", "/v1/sites/{siteId}/numbers", Need.site(SITE_READ, "siteId"), r -> ApiResponse.ok(
                        trackedNumbers.ofSite(site(r.pathId("siteId")).id()).stream().map(this::view).toList())),
                Route.guarded("POST", "/v1/sites/{siteId}/numbers", Need.site(TRACKING_WRITE, "siteId"), r -> {
                    long siteId = site(r.pathId("siteId")).id();
                    TrackedNumberRepository.NumberData d = numberData(siteId, r.bodyAs(NumberRequest.class));
                    requireFree(d.e164(), siteId, Optional.empty());
                    return ApiResponse.created(view(unique(() -> trackedNumbers.create(siteId, d),
                            "number " + d.e164() + " is already in use")));
                }),
                Route.guarded("POST", "/v1/sites/{siteId}/numbers/bulk", Need.site(TRACKING_WRITE, "siteId"),
                        this::bulkNumbers),
                Route.guarded("GET", "/v1/sites/{siteId}/numbers/{id}", Need.site(SITE_READ, "siteId"),
                        r -> ApiResponse.ok(view(number(r)))),
                Route.guarded("DELETE", "/v1/sites/{siteId}/numbers/{id}", Need.site(TRACKING_WRITE, "siteId"), r -> {
                    TrackedNumber existing = number(r);
                    return deleted(trackedNumbers.delete(existing.siteId(), existing.id()), () -> numberNotFound(r));
                })),
                Route.replaceable("/v1/sites/{siteId}/numbers/{id}", Need.site(TRACKING_WRITE, "siteId"),
                        NumberRequest.class, r -> NumberRequest.of(number(r)), (r, b) -> updateNumber(number(r), b)));
    }

    /**
     * PUT and PATCH alike. A change that would empty a site's allowedOrigins refuses every browser visitor, so it
     * must say so ({@code "allowedOrigins": []}); a full body that merely leaves the field out is refused.
     */
    private ApiResponse updateSite(ApiRequest r, SiteRequest b) {
        Site existing = site(r.pathId("id"));
        boolean emptied = (b.allowedOrigins() == null || b.allowedOrigins().isEmpty())
                && !existing.allowedOrigins().isEmpty();
        if (emptied && !r.bodyNames("allowedOrigins")) {
            throw ApiException.conflict("this would leave site " + existing.id() + " with no allowedOrigins, which "
                    + "refuses every browser visitor; send \"allowedOrigins\": [] to mean that, or PATCH only the "
                    + "fields to change");
        }
        return ApiResponse.ok(SiteView.of(sites.update(existing.id(), siteData(b))
                .orElseThrow(() -> siteNotFound(existing.id()))));
    }

    private ApiResponse updateChannel(Channel existing, ChannelRequest b) {
        ChannelRepository.ChannelData d = channelData(b);
        return ApiResponse.ok(ChannelView.of(unique(() -> channels.update(existing.siteId(), existing.id(), d)
                .orElseThrow(), "site " + existing.siteId() + " already has a channel named '" + d.name() + "'")));
    }

    private ApiResponse updateNumber(TrackedNumber existing, NumberRequest b) {
        TrackedNumberRepository.NumberData d = numberData(existing.siteId(), b);
        requireFree(d.e164(), existing.siteId(), Optional.of(existing.id()));
        return ApiResponse.ok(view(unique(() -> trackedNumbers.update(existing.siteId(), existing.id(), d)
                .orElseThrow(), "number " + d.e164() + " is already in use")));
    }

    private SiteRepository.SiteData siteData(SiteRequest b) {
        String name = Fields.text(b.name(), "name", 200);
        String zone = Fields.text(b.timeZone(), "timeZone", 64);
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("timeZone '" + zone + "' is not a known time zone (use an IANA name such "
                    + "as Europe/Berlin or America/New_York)");
        }
        String fallback = phone(Fields.text(b.fallbackNumber(), "fallbackNumber", 32), "fallbackNumber");
        List<String> origins = b.allowedOrigins() == null ? List.of() : b.allowedOrigins();
        if (origins.size() > MAX_ORIGINS) {
            throw ApiException.badRequest("allowedOrigins has " + origins.size() + " entries; at most " + MAX_ORIGINS
                    + " are allowed");
        }
        origins.forEach(ManagementRoutes::requireOrigin);
        return new SiteRepository.SiteData(name, zone,
                Fields.intIn(b.targetThresholdSeconds(), 30, 0, 3_600, "targetThresholdSeconds"),
                Fields.intIn(b.repeatWindowDays(), 30, 0, 3_650, "repeatWindowDays"),
                Fields.intIn(b.sessionHoldSeconds(), 900, 0, 86_400, "sessionHoldSeconds"),
                fallback, origins, Boolean.TRUE.equals(b.trackIdOnUnattributed()),
                Fields.optionalText(b.closedHoursDestination(), "closedHoursDestination", 200)
                        .map(ManagementRoutes::closedHoursDestination));
    }

    /** Asterisk dials it for FastAGI calls, the SIP redirect offers it when it is a SIP URI. */
    private static String closedHoursDestination(String destination) {
        try {
            return DialStrings.destination(destination);
        } catch (DialStrings.Invalid e) {
            throw ApiException.badRequest("closedHoursDestination: " + e.getMessage());
        }
    }

    private static ChannelRepository.ChannelData channelData(ChannelRequest b) {
        String name = Fields.text(b.name(), "name", 100);
        String tracking = Fields.text(b.tracking(), "tracking", 16).toLowerCase(Locale.ROOT);
        if (!tracking.equals("static") && !tracking.equals("dynamic")) {
            throw ApiException.badRequest("tracking must be 'static' or 'dynamic', got '" + b.tracking() + "'");
        }
        return new ChannelRepository.ChannelData(name, Channel.Tracking.valueOf(tracking.toUpperCase(Locale.ROOT)),
                Fields.optionalText(b.utmSource(), "utmSource", 200),
                Fields.optionalText(b.utmMedium(), "utmMedium", 200),
                Fields.optionalText(b.utmCampaign(), "utmCampaign", 200),
                Fields.optionalText(b.referrerHost(), "referrerHost", 253).map(h -> h.toLowerCase(Locale.ROOT)),
                Fields.intIn(b.priority(), 100, 0, 10_000, "priority"));
    }

    private TrackedNumberRepository.NumberData numberData(long siteId, NumberRequest b) {
        String e164 = phone(Fields.text(b.number(), "number", 32), "number");
        String kind = Fields.text(b.kind(), "kind", 16).toLowerCase(Locale.ROOT);
        boolean trackIdEntry = Boolean.TRUE.equals(b.trackIdEntry());
        switch (kind) {
            case "static" -> {
                if (b.channelId() == null) throw ApiException.badField("channelId", "a static number needs a channelId");
                Channel c = channels.find(siteId, b.channelId()).orElseThrow(() -> ApiException.badField("channelId",
                        b.channelId() + " is not a channel of site " + siteId));
                if (c.tracking() != Channel.Tracking.STATIC) {
                    throw ApiException.badField("channelId", "channel '" + c.name() + "' is tracked dynamically; a static "
                            + "number needs a channel with tracking 'static'");
                }
                return new TrackedNumberRepository.NumberData(e164, TrackedNumber.Kind.STATIC,
                        Optional.of(c.id()), trackIdEntry);
            }
            case "pool" -> {
                if (b.channelId() != null) {
                    throw ApiException.badField("channelId", "a pool number belongs to the site's dynamic pool, not to a "
                            + "channel; leave channelId out");
                }
                return new TrackedNumberRepository.NumberData(e164, TrackedNumber.Kind.POOL, Optional.empty(),
                        trackIdEntry);
            }
            default -> throw ApiException.badField("kind", "kind must be 'static' or 'pool', got '" + b.kind() + "'");
        }
    }

    /** One line of a bulk add that cannot be stored: its line number in the body and why. */
    public record RowError(int row, String line, String reason) {}

    /**
     * {@code stored}: false on a dry run or when any line failed (then nothing is stored and {@code errors} says why,
     * line by line); {@code numbers}: what is (or, on a dry run, would be) stored.
     */
    public record BulkResult(boolean stored, int rows, List<RowError> errors, List<NumberView> numbers) {}

    private static final int MAX_BULK_ROWS = 5_000;

    /**
     * A pasted list or CSV (text/csv or text/plain), one number a line: {@code number[,kind[,channel]]}, kind static
     * or pool (default: static with a channel, pool without), channel a name or id of the site's static channels; a
     * first line starting with "number" is a header. Every line is checked as a single POST would check it, and
     * against the other lines; nothing is stored unless all pass, and then all are stored in one transaction.
     */
    private ApiResponse bulkNumbers(ApiRequest r) {
        long siteId = site(r.pathId("siteId")).id();
        boolean dryRun = r.queryParam("dryRun").map("true"::equals).orElse(false);
        String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        List<Channel> siteChannels = channels.ofSite(siteId);
        List<RowError> errors = new java.util.ArrayList<>();
        List<TrackedNumberRepository.NumberData> valid = new java.util.ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        String[] lines = text.split("\\r?\\n", -1);
        int rows = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("number"))) continue;
            if (++rows > MAX_BULK_ROWS) throw ApiException.badRequest("at most " + MAX_BULK_ROWS + " numbers at once");
            try {
                List<String> f = bulkFields(line);
                String channel = f.size() > 2 && !f.get(2).isBlank() ? f.get(2).strip() : null;
                String kind = f.size() > 1 && !f.get(1).isBlank() ? f.get(1).strip() : channel == null ? "pool" : "static";
                TrackedNumberRepository.NumberData d = numberData(siteId, new NumberRequest(f.get(0).strip(), kind,
                        channel == null ? null : channelId(siteChannels, channel), false));
                Integer earlier = seen.putIfAbsent(d.e164(), i + 1);
                if (earlier != null) throw ApiException.badRequest("number " + d.e164() + " is also on line " + earlier);
                requireFree(d.e164(), siteId, Optional.empty());
                valid.add(d);
            } catch (ApiException e) {
                errors.add(new RowError(i + 1, line, e.getMessage()));
            }
        }
        if (rows == 0) throw ApiException.badRequest("no numbers: send one number a line (number,kind,channel)");
        if (!errors.isEmpty()) return ApiResponse.json(400, new BulkResult(false, rows, errors, List.of()));
        if (dryRun) {
            return ApiResponse.ok(new BulkResult(false, rows, List.of(), valid.stream().map(d -> view(
                    new TrackedNumber(0, siteId, d.e164(), d.kind(), d.channelId(), d.trackIdEntry()))).toList()));
        }
        List<TrackedNumber> stored = unique(() -> trackedNumbers.createAll(siteId, valid),
                "one of the numbers was taken meanwhile; nothing was stored, send the list again");
        return ApiResponse.created(new BulkResult(true, rows, List.of(), stored.stream().map(this::view).toList()));
    }

    private static List<String> bulkFields(String line) {
        try {
            List<List<String>> parsed = io.calltrack.reports.Csv.read(line);
            if (parsed.isEmpty() || parsed.get(0).isEmpty()) throw ApiException.badRequest("no number on the line");
            return parsed.get(0);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** A channel named by its id or its name (case-insensitive). */
    private static long channelId(List<Channel> siteChannels, String nameOrId) {
        return siteChannels.stream()
                .filter(c -> String.valueOf(c.id()).equals(nameOrId) || c.name().equalsIgnoreCase(nameOrId))
                .map(Channel::id).findFirst()
                .orElseThrow(() -> ApiException.badRequest("the site has no channel '" + nameOrId + "'"));
    }

    /** A number belongs to one site only: a clear 409 naming who has it. */
    private void requireFree(String e164, long siteId, Optional<Long> self) {
        trackedNumbers.findByE164(e164).filter(n -> self.isEmpty() || n.id() != self.get()).ifPresent(n -> {
            throw ApiException.conflict(n.siteId() == siteId
                    ? "number " + e164 + " is already number " + n.id() + " of this site"
                    : "number " + e164 + " is already used by another site (site " + n.siteId() + ")");
        });
    }

    private NumberView view(TrackedNumber n) {
        return new NumberView(n.id(), n.siteId(), n.e164(), phoneNumbers.display(n.e164()),
                n.kind().name().toLowerCase(Locale.ROOT), n.channelId().orElse(null), n.trackIdEntry());
    }

    private Site site(long id) {
        return sites.find(id).orElseThrow(() -> siteNotFound(id));
    }

    private Channel channel(ApiRequest r) {
        return channels.find(site(r.pathId("siteId")).id(), r.pathId("id")).orElseThrow(() -> channelNotFound(r));
    }

    private TrackedNumber number(ApiRequest r) {
        return trackedNumbers.find(site(r.pathId("siteId")).id(), r.pathId("id")).orElseThrow(() -> numberNotFound(r));
    }

    private static ApiException siteNotFound(long id) {
        return ApiException.notFound("site " + id + " does not exist");
    }

    private static ApiException channelNotFound(ApiRequest r) {
        return ApiException.notFound("channel " + r.pathParam("id") + " does not exist on site " + r.pathParam("siteId"));
    }

    private static ApiException numberNotFound(ApiRequest r) {
        return ApiException.notFound("number " + r.pathParam("id") + " does not exist on site " + r.pathParam("siteId"));
    }

    private static ApiResponse deleted(boolean deleted, Supplier<ApiException> notFound) {
        if (!deleted) throw notFound.get();
        return ApiResponse.noContent();
    }

    /** A concurrent request can still win the race past our checks: the unique index has the last word. */
    private static <T> T unique(Supplier<T> write, String conflict) {
        try {
            return write.get();
        } catch (DataAccessException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlState())) throw ApiException.conflict(conflict);
            throw e;
        }
    }

    /** {@code raw} as E.164, or a 400 naming {@code field}. */
    private String phone(String raw, String field) {
        try {
            return phoneNumbers.requireE164(raw, field);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(field, e.getMessage());
        }
    }

    private static void requireOrigin(String origin) {
        if (origin == null) throw ApiException.badField("allowedOrigins", "an entry is null; give an origin or \"*\"");
        if ("*".equals(origin)) return;
        try {
            URI u = new URI(origin);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && (u.getRawPath() == null || u.getRawPath().isEmpty()) && u.getRawQuery() == null) {
                return;
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        throw ApiException.badRequest("allowedOrigins entry '" + origin + "' is not an origin such as "
                + "https://shop.example.com (scheme, host and optional port, no path)");
    }

    private static String newPublicKey() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
