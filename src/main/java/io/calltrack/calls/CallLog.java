package io.calltrack.calls;

import io.calltrack.platform.db.Jdbc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/**
 * The call log as people browse it (a read model of {@code call}; {@link CallRepository} writes it): calls matching a
 * {@link Filter}, in an {@link Order}, a page at a time, and the same selection streamed whole for a CSV export; and
 * the calls ringing or talking right now.
 * <p>
 * Paging is keyset paging: a page continues after the call its cursor names, at that call's place in the order
 * (its start time, or its talk time, then its id), so calls recorded meanwhile neither shift nor repeat a page, and a
 * deep page costs what the first one does. With sites given, each site's calls are read from its own range of the
 * {@code (site_id, started_at)} index and merged, so a few sites of many cost a few index ranges, not the table.
 */
public final class CallLog {
    /** At most this many live calls in one answer (far more than one PBX's lines). */
    private static final int LIVE_LIMIT = 500;
    private static final int EXPORT_FETCH_SIZE = 500;

    /**
     * The call's transcript has the words. {@code transcript} is the recordings capability's table (its owner,
     * TranscriptRepository, writes it), read here because the filter must be one condition of the log's own query:
     * asking the owner for the matching call ids first would hold every match in memory and break keyset paging
     * over them. How a language is searched is the table's own rule, V36's {@code transcript_search_config}, which
     * also built the stored vector, so query and transcript are always stemmed alike. websearch_to_tsquery takes any
     * text without error; words that are all stop words or punctuation match nothing.
     */
    private static final String SAID = "EXISTS (SELECT 1 FROM transcript t WHERE t.call_id = call.id"
            + " AND t.search @@ websearch_to_tsquery(transcript_search_config(t.language), :said))";

    private final Jdbc jdbc;

    public CallLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The order of the log. Every order ends with the call id, so it is total and a cursor is one position. */
    public enum Order {
        NEWEST("started_at", false),
        OLDEST("started_at", true),
        /** longest conversation first; a call nobody answered counts as no talk */
        LONGEST("coalesce(talk_seconds, 0)", false);

        private final String key;
        private final boolean ascending;

        Order(String key, boolean ascending) {
            this.key = key;
            this.ascending = ascending;
        }

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Order> of(String value) {
            for (Order o : values()) if (o.value().equals(value)) return Optional.of(o);
            return Optional.empty();
        }

        String orderBy() {
            String dir = ascending ? "" : " DESC";
            return key + dir + ", id" + dir;
        }

        /** After the call {@code :after}, at its place in this order. */
        String after() {
            return "(" + key + ", id) " + (ascending ? ">" : "<") + " (SELECT " + key + ", id FROM call WHERE id = :after)";
        }
    }

    /**
     * What to list; null (or an empty {@code sites}) means any. {@code from}/{@code to}: the start time, [from, to).
     * {@code channelId}, {@code campaign}, {@code keyword}: the call's last touch. {@code trackedNumber}: the dialled
     * number, E.164. {@code firstTime}, {@code repeat}: the caller's history when the call rang. {@code caller}: the
     * caller's number exactly, E.164; {@code callerDigits}: digits anywhere in it. {@code said}: words of the call's
     * transcript, as people type a web search ({@code "exact phrase"}, {@code or}, {@code -without}), each matching
     * its forms in the transcript's language.
     */
    public record Filter(List<Long> sites, Instant from, Instant to, Long channelId, String campaign, String keyword,
                         String trackedNumber, CallClass callClass, Long managerId, Boolean firstTime, Boolean repeat,
                         Boolean hasRecording, String caller, String callerDigits, String said) {
        public Filter {
            sites = sites == null ? List.of() : List.copyOf(sites);
        }

        /** The conditions on {@code call} besides the site, and their named parameters. */
        private String conditions(Map<String, Object> args) {
            List<String> where = new ArrayList<>();
            add(where, args, "started_at >= :from", "from", from);
            add(where, args, "started_at < :to", "to", to);
            add(where, args, "channel_id = :channel", "channel", channelId);
            add(where, args, "campaign = :campaign", "campaign", campaign);
            add(where, args, "keyword = :keyword", "keyword", keyword);
            add(where, args, "called_number = :number", "number", trackedNumber);
            add(where, args, "class = :class", "class", callClass == null ? null : callClass.value());
            add(where, args, "manager_id = :manager", "manager", managerId);
            add(where, args, "first_time_caller = :first_time", "first_time", firstTime);
            add(where, args, "repeat_call = :repeat", "repeat", repeat);
            if (hasRecording != null) where.add(hasRecording ? "recording_path IS NOT NULL" : "recording_path IS NULL");
            add(where, args, "caller_number = :caller", "caller", caller);
            add(where, args, "caller_number LIKE :caller_digits", "caller_digits",
                    callerDigits == null ? null : "%" + callerDigits + "%");
            add(where, args, SAID, "said", said);
            return where.isEmpty() ? "true" : String.join(" AND ", where);
        }

        private static void add(List<String> where, Map<String, Object> args, String condition, String name,
                                Object value) {
            if (value == null) return;
            where.add(condition);
            args.put(name, value);
        }
    }

    /** One page; {@code nextCursor}: the id of its last call when more may follow, else empty. */
    public record Page(List<Call> items, Optional<Long> nextCursor) {}

    /** Up to {@code limit} calls after the call {@code after} (empty: from the start of the order). */
    public Page page(Filter filter, Order order, int limit, Optional<Long> after) {
        Map<String, Object> args = new HashMap<>();
        String where = filter.conditions(args) + after.map(a -> " AND " + order.after()).orElse("");
        String sql = filter.sites().isEmpty()
                ? "SELECT * FROM call WHERE " + where + " ORDER BY " + order.orderBy() + " LIMIT :limit"
                : "SELECT c.* FROM unnest(:sites) AS s(site) CROSS JOIN LATERAL ("
                        + "SELECT * FROM call WHERE site_id = s.site AND " + where + " ORDER BY " + order.orderBy()
                        + " LIMIT :limit) c ORDER BY " + order.orderBy() + " LIMIT :limit";
        after.ifPresent(a -> args.put("after", a));
        args.put("limit", limit);
        List<Call> items = jdbc.withHandle(h -> bind(h.createQuery(sql), filter, args)
                .map((rs, ctx) -> CallRepository.call(rs)).list());
        return new Page(items, items.size() == limit ? Optional.of(items.get(items.size() - 1).id()) : Optional.empty());
    }

    /** What an export does with each call, in order. */
    @FunctionalInterface
    public interface CallSink {
        void accept(Call call) throws IOException;
    }

    /**
     * Every call of the filter, in order, handed to {@code sink} as it is read (the database sends them in batches
     * of {@value #EXPORT_FETCH_SIZE}): an export of any size holds one batch in memory.
     */
    public void export(Filter filter, Order order, CallSink sink) throws IOException {
        Map<String, Object> args = new HashMap<>();
        String sql = "SELECT * FROM call WHERE " + (filter.sites().isEmpty() ? "" : "site_id = ANY(:sites) AND ")
                + filter.conditions(args) + " ORDER BY " + order.orderBy();
        try {
            jdbc.inHandleTransaction(h -> { // a cursor (fetch size) needs a transaction in PostgreSQL's driver
                try (var calls = bind(h.createQuery(sql), filter, args).setFetchSize(EXPORT_FETCH_SIZE)
                        .map((rs, ctx) -> CallRepository.call(rs)).iterator()) {
                    while (calls.hasNext()) sink.accept(calls.next());
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // the reader is gone: ends the query and its transaction
                }
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Query bind(Query q, Filter filter, Map<String, Object> args) {
        if (!filter.sites().isEmpty()) q.bindArray("sites", Long.class, filter.sites());
        return q.bindMap(args);
    }

    /** A call ringing or talking now: {@code since} is when it began ringing, or when it was answered. */
    public record LiveCall(long callId, Optional<Long> siteId, String state, Instant since, Instant startedAt,
                           String calledNumber, Optional<String> callerNumber, Optional<String> channelName,
                           Optional<Long> managerId) {
        /** The same call with the caller's number as someone is shown it (masked). */
        public LiveCall withCaller(String shown) {
            return new LiveCall(callId, siteId, state, since, startedAt, calledNumber, Optional.of(shown), channelName,
                    managerId);
        }
    }

    /**
     * The calls the lifecycle has open (no end seen yet) of the given sites (empty: all) that began after
     * {@code startedAfter}, oldest first, at most {@value #LIVE_LIMIT}. Read from the recent end of
     * {@code call_log_started}: no index on {@code state}, which would make every state change of every call a
     * non-HOT update writing all of the call's indexes (the FastAGI path's cost, see V9).
     */
    public List<LiveCall> live(List<Long> sites, Instant startedAfter) {
        String sql = "SELECT id, site_id, state, started_at, answered_at, called_number, caller_number, channel_name, "
                + "manager_id FROM call WHERE started_at > :after AND state IN ('ringing', 'answered') "
                + "AND ended_at IS NULL" + (sites.isEmpty() ? "" : " AND site_id = ANY(:sites)")
                + " ORDER BY started_at, id LIMIT " + LIVE_LIMIT;
        return jdbc.withHandle(h -> {
            Query q = h.createQuery(sql).bind("after", java.sql.Timestamp.from(startedAfter));
            if (!sites.isEmpty()) q.bindArray("sites", Long.class, sites);
            return q.map((rs, ctx) -> {
                boolean talking = "answered".equals(rs.getString("state"));
                Instant started = rs.getTimestamp("started_at").toInstant();
                long site = rs.getLong("site_id");
                Optional<Long> siteId = rs.wasNull() ? Optional.empty() : Optional.of(site);
                long manager = rs.getLong("manager_id");
                Optional<Long> managerId = rs.wasNull() ? Optional.empty() : Optional.of(manager);
                return new LiveCall(rs.getLong("id"), siteId, talking ? "talking" : "ringing",
                        talking && rs.getTimestamp("answered_at") != null ? rs.getTimestamp("answered_at").toInstant()
                                : started, started, rs.getString("called_number"),
                        Optional.ofNullable(rs.getString("caller_number")),
                        Optional.ofNullable(rs.getString("channel_name")), managerId);
            }).list();
        });
    }
}
