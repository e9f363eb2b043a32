package io.calltrack.calls.api;

import static io.calltrack.access.Permission.CALLS_READ;

import io.calltrack.calls.CallRepository;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.Channel;
import io.calltrack.tracking.ChannelRepository;
import io.calltrack.tracking.TrackedNumber;
import io.calltrack.tracking.TrackedNumberRepository;
import io.calltrack.tracking.VisitorSession;
import io.calltrack.tracking.VisitorSessions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v1/sessions/{id}}: one website visit as a marketer or lead reads it from a call's page, with the calls
 * of the same visitor on that site. Personal data stays as the call log shows it: no IP address, no user agent (a
 * fingerprint the call log never shows; the bot flag is what it told), no caller numbers (a call is named by its id).
 */
public final class VisitorSessionRoutes implements RouteProvider {
    /** The visitor's calls listed with a session: enough for a history, bounded for a visitor who calls daily. */
    static final int VISITOR_CALLS = 50;

    private final VisitorSessions sessions;
    private final ChannelRepository channels;
    private final TrackedNumberRepository numbers;
    private final CallRepository calls;

    public VisitorSessionRoutes(VisitorSessions sessions, ChannelRepository channels, TrackedNumberRepository numbers,
                                CallRepository calls) {
        this.sessions = sessions;
        this.channels = channels;
        this.numbers = numbers;
        this.calls = calls;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.guarded("GET", "/v1/sessions/{id}",
                Need.uuidEntity(CALLS_READ, "session", "id", sessions::siteOf), this::get));
    }

    /** The campaign parameters of the landing page. */
    record Utm(Optional<String> source, Optional<String> medium, Optional<String> campaign, Optional<String> term,
               Optional<String> content) {}

    /**
     * {@code channelName}: the channel of its first touch; {@code number}: the tracked number it shows or last showed
     * (E.164); {@code noNumber}: the pool had none free, the site's fallback number was shown.
     */
    record SessionView(UUID id, long siteId, String clientId, Instant startedAt, Instant lastSeenAt,
                       Optional<Instant> endedAt, Optional<String> firstPage, Optional<String> currentPage,
                       Optional<String> referrer, Utm utm, Optional<String> channelName, Optional<String> number,
                       boolean noNumber, boolean bot, List<CallRepository.VisitorCall> calls) {}

    private ApiResponse get(ApiRequest r) {
        UUID id = r.pathUuid("id");
        VisitorSession s = sessions.find(id)
                .orElseThrow(() -> ApiException.notFound("session " + id + " does not exist"));
        VisitorSession.Utm u = s.utm();
        return ApiResponse.ok(new SessionView(s.id(), s.siteId(), s.clientId(), s.startedAt(), s.lastSeenAt(),
                s.endedAt(), s.firstPage(), s.currentPage(), s.referrer(),
                new Utm(u.source(), u.medium(), u.campaign(), u.term(), u.content()),
                s.channelId().flatMap(c -> channels.find(s.siteId(), c)).map(Channel::name),
                s.numberId().flatMap(n -> numbers.find(s.siteId(), n)).map(TrackedNumber::e164),
                s.noNumber(), s.bot(), calls.ofVisitor(s.siteId(), s.clientId(), VISITOR_CALLS)));
    }
}
