package io.calltrack.calls.api;

import static io.calltrack.access.Permission.CALLS_READ;
import static io.calltrack.access.Permission.RECORDINGS;

import io.calltrack.access.CallerNumbers;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallClass;
import io.calltrack.calls.CallLog;
import io.calltrack.calls.CallTags;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.platform.http.StreamedBody;
import io.calltrack.recordings.Dialogue;
import io.calltrack.recordings.TranscriptRepository;
import io.calltrack.reports.Csv;
import io.calltrack.reports.api.ReportRequests;
import io.calltrack.tracking.Touch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The call log (of the caller's sites; numbers and recordings as {@link CallsAsSeen} shows them): {@code GET /v1/calls} with its filters, order and keyset paging, as JSON pages or, with
 * {@code format=csv}, the whole selection streamed as CSV (one parser for both, so the export is what the page
 * shows); {@code GET /v1/calls/live}, the calls ringing or talking now (callers masked as in the log). Listed
 * before {@link CallRoutes}, whose {@code /v1/calls/{id}} would otherwise take {@code /v1/calls/live}.
 */
public final class CallLogRoutes implements RouteProvider {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{3,15}");
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final int MAX_SITES = 1_000;
    private static final int MAX_SAID = 200;
    /** A call still "open" after this long lost its end (reconciliation closes it): not shown as live. */
    private static final java.time.Duration LIVE_WINDOW = java.time.Duration.ofHours(12);

    static final List<String> CSV_COLUMNS = List.of("id", "startedAt", "siteId", "trackedNumber", "callerNumber",
            "state", "class", "ringSeconds", "talkSeconds", "managerId", "channel", "source", "medium", "campaign",
            "keyword", "landingPage", "firstTimeCaller", "repeatCall", "hasRecording", "dealAmount", "tags",
            "transcript");

    /** How many exported calls are masked together (one read each of privacy settings, tags, transcripts per batch). */
    private static final int EXPORT_BATCH = 500;

    private final CallLog log;
    private final CallerNumbers callerNumbers;
    private final CallsAsSeen asSeen;
    private final CallTags tags;
    private final TranscriptRepository transcripts;
    private final Clock clock;

    public CallLogRoutes(CallLog log, CallerNumbers callerNumbers, CallTags tags, TranscriptRepository transcripts,
                         Clock clock) {
        this.log = log;
        this.callerNumbers = callerNumbers;
        this.asSeen = new CallsAsSeen(callerNumbers);
        this.tags = tags;
        this.transcripts = transcripts;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.guarded("GET", "/v1/calls", Need.siteFilter(CALLS_READ, "site"), this::list),
                Route.guarded("GET", "/v1/calls/live", Need.siteFilter(CALLS_READ, "site"), this::live));
    }

    /** A parsed call-log request: what to list, in which order, how many, after which call. */
    record LogRequest(CallLog.Filter filter, CallLog.Order order, int limit, Optional<Long> cursor) {
        static LogRequest of(ApiRequest r, List<Long> sites) {
            Instant from = instant(r, "from");
            Instant to = instant(r, "to");
            if (from != null && to != null && !to.isAfter(from)) {
                throw ApiException.badRequest("to (" + to + ") must be after from (" + from + ")");
            }
            CallLog.Filter filter = new CallLog.Filter(sites, from, to, number(r, "channel"),
                    text(r, "campaign"), text(r, "keyword"), r.queryParam("number").map(v -> e164(v, "number"))
                    .orElse(null), r.queryParam("class").map(CallLogRoutes::callClass).orElse(null),
                    number(r, "manager"), bool(r, "firstTime"), bool(r, "repeat"), bool(r, "hasRecording"),
                    r.queryParam("caller").map(v -> e164(v, "caller")).orElse(null), callerDigits(r), said(r));
            CallLog.Order order = r.queryParam("sort").map(v -> CallLog.Order.of(v).orElseThrow(() ->
                    ApiException.badRequest("sort must be newest, oldest or longest, got '" + v + "'")))
                    .orElse(CallLog.Order.NEWEST);
            Long limit = number(r, "limit");
            int pageSize = limit == null ? DEFAULT_LIMIT : (int) Math.max(1, Math.min(MAX_LIMIT, limit));
            return new LogRequest(filter, order, pageSize, Optional.ofNullable(number(r, "cursor")));
        }
    }

    private ApiResponse list(ApiRequest r) {
        Optional<List<Long>> sites = visibleOf(r);
        LogRequest q = LogRequest.of(r, sites.orElse(List.of()));
        if (ReportRequests.wantsCsv(r)) {
            return new ApiResponse(200, "text/csv; charset=utf-8", new StreamedBody(out -> {
                try (Csv.RowWriter csv = Csv.stream(out, CSV_COLUMNS)) {
                    if (sites.isEmpty()) return;
                    List<Call> batch = new ArrayList<>(EXPORT_BATCH);
                    log.export(q.filter(), q.order(), call -> {
                        batch.add(call);
                        if (batch.size() == EXPORT_BATCH) write(r, batch, csv);
                    });
                    write(r, batch, csv);
                }
            }), java.util.Map.of("Content-Disposition", "attachment; filename=\"calls.csv\""));
        }
        if (sites.isEmpty()) return ApiResponse.ok(new Page(List.of(), null));
        CallLog.Page page = log.page(q.filter(), q.order(), q.limit(), q.cursor());
        return ApiResponse.ok(new Page(asSeen.of(r, page.items()), page.nextCursor().orElse(null)));
    }

    /**
     * A batch of the export: its tags and transcripts in one read each. What was said is as personal as the
     * recording: one who may not listen gets an empty transcript, as {@code GET /v1/calls/{id}/transcript} refuses.
     */
    private void write(ApiRequest r, List<Call> batch, Csv.RowWriter csv) throws java.io.IOException {
        List<Call> shown = asSeen.of(r, batch);
        Map<Long, List<String>> tagsOf = tags.of(shown.stream().map(Call::id).toList());
        Map<Long, Dialogue> said = transcripts.dialogues(shown.stream().filter(c -> CallsAsSeen.mayListen(r, c))
                .map(Call::id).toList());
        for (Call c : shown) {
            List<Object> row = csvRow(c);
            row.add(Csv.joined(tagsOf.getOrDefault(c.id(), List.of())));
            row.add(Optional.ofNullable(said.get(c.id())).map(Dialogue::script).orElse(""));
            csv.row(row);
        }
        batch.clear();
    }

    /**
     * The sites to list (empty list: every site) within what the caller sees; empty when that is none at all. A
     * {@code site} value outside them is a 404, as for a site that does not exist ({@code Need} checks only the
     * first value of a repeated parameter).
     */
    private static Optional<List<Long>> visibleOf(ApiRequest r) {
        List<Long> asked = sites(r);
        Optional<java.util.Set<Long>> restriction = r.visibleSites().restriction();
        if (restriction.isEmpty()) return Optional.of(asked);
        for (long site : asked) {
            if (!restriction.get().contains(site)) throw ApiException.notFound("site " + site + " does not exist");
        }
        List<Long> sites = asked.isEmpty() ? List.copyOf(restriction.get()) : asked;
        if (said(r) != null) sites = listenable(r, sites, !asked.isEmpty());
        return sites.isEmpty() ? Optional.empty() : Optional.of(sites);
    }

    /**
     * Searching what was said reads transcripts, as personal as the recordings: a site the request names must let
     * the caller listen (403 otherwise); of the sites it leaves unnamed, only those that do are searched. (Owners and
     * admins, with no site restriction, may listen everywhere.)
     */
    private static List<Long> listenable(ApiRequest r, List<Long> sites, boolean named) {
        if (named) {
            for (long site : sites) r.require(RECORDINGS, site);
            return sites;
        }
        return sites.stream().filter(site -> r.may(RECORDINGS, Optional.of(site))).toList();
    }

    /** A page of the log; {@code nextCursor} is null on the last page. */
    record Page(List<Call> items, Long nextCursor) {}

    /** The live calls and the server's time, so a dashboard shows "ringing for 12 s" without trusting its own clock. */
    record Live(Instant now, List<CallLog.LiveCall> calls) {}

    private ApiResponse live(ApiRequest r) {
        Optional<List<Long>> sites = visibleOf(r);
        Instant now = clock.instant();
        List<CallLog.LiveCall> calls = sites.map(s -> log.live(s, now.minus(LIVE_WINDOW))).orElse(List.of());
        return ApiResponse.ok(new Live(now, callerNumbers.liveShownTo(r.principal().orElseThrow(), calls)));
    }

    /** The call's own columns (tags and transcript are added by {@link #write}). */
    private static List<Object> csvRow(Call c) {
        Touch t = c.visit().touches().last();
        List<Object> row = new ArrayList<>(CSV_COLUMNS.size());
        row.add(c.id());
        row.add(c.startedAt().toString());
        row.add(c.siteId().orElse(null));
        row.add(c.calledNumber());
        row.add(c.callerNumber().orElse(null));
        row.add(c.state().value());
        row.add(c.outcome().callClass().map(CallClass::value).orElse(null));
        row.add(c.outcome().ringSeconds().orElse(null));
        row.add(c.outcome().talkSeconds().orElse(null));
        row.add(c.managerId().orElse(null));
        row.add(t.channelName().orElse(null));
        row.add(t.source().orElse(null));
        row.add(t.medium().orElse(null));
        row.add(t.campaign().orElse(null));
        row.add(t.keyword().orElse(null));
        row.add(t.landingPage().orElse(null));
        row.add(c.firstTimeCaller());
        row.add(c.repeatCall());
        row.add(c.recordingPath().isPresent());
        row.add(c.dealAmount().map(Object::toString).orElse(null));
        return row;
    }

    /** {@code site}, repeatable: the calls of any of these sites. */
    private static List<Long> sites(ApiRequest r) {
        List<String> raw = r.query().getOrDefault("site", List.of());
        if (raw.size() > MAX_SITES) throw ApiException.badRequest("at most " + MAX_SITES + " site values");
        List<Long> sites = new ArrayList<>();
        for (String v : raw) {
            if (v.isBlank()) continue;
            sites.add(parseNumber(v, "site"));
        }
        return sites;
    }

    /**
     * A phone number filter is E.164. A form decoder reads an unencoded {@code +} as a space: in a phone number it can
     * only have been a plus, so it is read as one rather than matching nothing.
     */
    private static String e164(String raw, String name) {
        String e164 = raw.startsWith(" ") ? "+" + raw.substring(1) : raw;
        if (!E164.matcher(e164).matches()) {
            throw ApiException.badRequest(name + " must be an E.164 number such as +4930123456, got '" + raw + "'");
        }
        return e164;
    }

    /** {@code callerContains}: digits of the caller's number as people remember them ("the one ending 4567"). */
    private static String callerDigits(ApiRequest r) {
        return r.queryParam("callerContains").map(v -> {
            String digits = v.replaceAll("[\\s()+.-]", "");
            if (!DIGITS.matcher(digits).matches()) {
                throw ApiException.badRequest("callerContains must be 3 to 15 digits, got '" + v + "'");
            }
            return digits;
        }).orElse(null);
    }

    /** {@code said}: words of the transcript, a short search (a request line holds at most 4 kB anyway). */
    private static String said(ApiRequest r) {
        return r.queryParam("said").flatMap(v -> {
            if (v.length() > MAX_SAID) {
                throw ApiException.badField("said", "at most " + MAX_SAID + " characters, got " + v.length());
            }
            if (v.chars().anyMatch(Character::isISOControl)) {
                throw ApiException.badField("said", "must not contain control characters");
            }
            return Optional.of(v.trim()).filter(s -> !s.isEmpty());
        }).orElse(null);
    }

    private static CallClass callClass(String v) {
        return CallClass.of(v).orElseThrow(
                () -> ApiException.badRequest("class must be " + CallClass.names() + ", got '" + v + "'"));
    }

    private static String text(ApiRequest r, String name) {
        return r.queryParam(name).map(v -> Fields.text(v, name, 500)).orElse(null);
    }

    private static Boolean bool(ApiRequest r, String name) {
        return r.queryParam(name).map(v -> switch (v) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest(name + " must be true or false, got '" + v + "'");
        }).orElse(null);
    }

    private static Long number(ApiRequest r, String name) {
        return r.queryParam(name).map(v -> parseNumber(v, name)).orElse(null);
    }

    private static long parseNumber(String v, String name) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number, got '" + v + "'");
        }
    }

    private static Instant instant(ApiRequest r, String name) {
        return r.queryParam(name).map(v -> Fields.instant(v, name)).orElse(null);
    }
}
