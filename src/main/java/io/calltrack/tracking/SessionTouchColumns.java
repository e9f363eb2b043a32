package io.calltrack.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a session's touches are stored: the first touch in the session's own campaign columns (started_at, channel_id,
 * utm_*, first_page, the click ids), the last one in {@code last_*} columns, null until a later paid click.
 */
final class SessionTouchColumns {
    private SessionTouchColumns() {}

    /**
     * The touches in a row with the touch columns ({@code started_at}, {@code channel_id}, {@code utm_*},
     * {@code first_page}, the click ids, and their {@code last_*} counterparts); with {@code withChannelNames} also
     * {@code first_channel_name} and {@code last_channel_name}.
     */
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
