package io.calltrack.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How a session's touches are stored: the first touch in the session's own campaign columns (started_at, channel_id,
 * utm_*, first_page, the click ids), the last one in {@code last_*} columns, null until a later paid click.
 */
final class SessionTouchColumns {
    private SessionTouchColumns() {}

    private static final List<String> FIRST = Stream.concat(Stream.of("started_at", "channel_id", "utm_source",
            "utm_medium", "utm_campaign", "utm_term", "utm_content", "first_page"), ClickIds.NAMES.stream()).toList();
    private static final List<String> LAST = Stream.concat(Stream.of("last_touch_at", "last_channel_id",
            "last_source", "last_medium", "last_campaign", "last_term", "last_content", "last_page"),
            ClickIds.NAMES.stream().map(n -> "last_" + n)).toList();

    /** The touch columns of visitor_session {@code alias} (bare names when null), for a select or RETURNING list. */
    static String columns(String alias) {
        return Stream.concat(FIRST.stream(), LAST.stream()).map(c -> alias == null ? c : alias + "." + c)
                .collect(Collectors.joining(", "));
    }

    /** The names of the touches' channels, with {@link #CHANNEL_JOINS}. */
    static final String CHANNEL_NAMES = "fch.name AS first_channel_name, lch.name AS last_channel_name";
    /** Joins the channels of session alias {@code s}'s touches. */
    static final String CHANNEL_JOINS = "LEFT JOIN channel fch ON fch.id = s.channel_id "
            + "LEFT JOIN channel lch ON lch.id = s.last_channel_id";

    /** The touches in a row selected with {@link #columns}; channel names when {@link #CHANNEL_NAMES} was too. */
    static Touches read(ResultSet rs, boolean withChannelNames) throws SQLException {
        Touch first = new Touch(Optional.of(Rows.instant(rs, "started_at")), Rows.id(rs, "channel_id"),
                withChannelNames ? Rows.string(rs, "first_channel_name") : Optional.empty(),
                new VisitorSession.Utm(Rows.string(rs, "utm_source"), Rows.string(rs, "utm_medium"),
                        Rows.string(rs, "utm_campaign"), Rows.string(rs, "utm_term"), Rows.string(rs, "utm_content")),
                Rows.string(rs, "first_page"), clickIds(rs, ""));
        Optional<java.time.Instant> lastAt = Rows.optionalInstant(rs, "last_touch_at");
        if (lastAt.isEmpty()) return Touches.single(first);
        Touch last = new Touch(lastAt, Rows.id(rs, "last_channel_id"),
                withChannelNames ? Rows.string(rs, "last_channel_name") : Optional.empty(),
                new VisitorSession.Utm(Rows.string(rs, "last_source"), Rows.string(rs, "last_medium"),
                        Rows.string(rs, "last_campaign"), Rows.string(rs, "last_term"),
                        Rows.string(rs, "last_content")),
                Rows.string(rs, "last_page"), clickIds(rs, "last_"));
        return new Touches(first, last);
    }

    static AnalyticsIds analyticsIds(ResultSet rs) throws SQLException {
        return new AnalyticsIds(Rows.string(rs, "ga_client_id"), Rows.string(rs, "ym_client_id"));
    }

    /** The click ids in the columns named {@code prefix} + the id's name. */
    private static ClickIds clickIds(ResultSet rs, String prefix) throws SQLException {
        Map<String, String> values = new HashMap<>();
        for (String name : ClickIds.NAMES) values.put(name, rs.getString(prefix + name));
        return ClickIds.of(values::get);
    }
}
