package io.calltrack.calls;

import io.calltrack.tracking.AnalyticsIds;
import io.calltrack.tracking.ClickIds;
import io.calltrack.tracking.Touch;
import io.calltrack.tracking.Touches;
import io.calltrack.tracking.VisitorSession;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The columns of a call's attribution snapshot that describe the visit: its last touch (channel_id, channel_name,
 * source, medium, campaign, keyword, landing_page, touch_at, the click ids), which the call is credited to, its
 * first touch (the same names prefixed {@code first_}, equal to the last for a visit of one touch) and the visitor's
 * ids (client_id, ga_client_id, ym_client_id). Both touches are always written, so reports group by either without
 * telling the cases apart.
 */
public final class CallSnapshotColumns {
    private CallSnapshotColumns() {}

    private static final List<String> TOUCH = Stream.concat(Stream.of("channel_id", "channel_name", "source",
            "medium", "campaign", "keyword", "landing_page", "touch_at"), ClickIds.NAMES.stream()).toList();
    private static final List<String> ALL = Stream.of(TOUCH.stream(), TOUCH.stream().map(c -> "first_" + c),
            Stream.of("client_id", "ga_client_id", "ym_client_id")).flatMap(s -> s).toList();

    /** The column names, for an INSERT column list. */
    static final String NAMES = String.join(", ", ALL);
    /** The column names qualified by the call table's {@code alias}, for a select list. */
    public static String qualified(String alias) {
        return ALL.stream().map(c -> alias + "." + c).collect(Collectors.joining(", "));
    }

    /** One placeholder per column. */
    static final String PLACEHOLDERS = ALL.stream().map(c -> "?").collect(Collectors.joining(", "));
    /** {@code channel_id = ?, ...} for an UPDATE. */
    static final String SET = ALL.stream().map(c -> c + " = ?").collect(Collectors.joining(", "));

    /** Binds every column from {@code index} in {@link #NAMES} order; returns the next index. */
    static int bind(PreparedStatement ps, int index, NewCall call) throws SQLException {
        int i = bindTouch(ps, index, call.touches().last());
        i = bindTouch(ps, i, call.touches().first());
        ps.setString(i++, call.clientId());
        ps.setString(i++, call.analyticsIds().gaClientId().orElse(null));
        ps.setString(i++, call.analyticsIds().ymClientId().orElse(null));
        return i;
    }

    private static int bindTouch(PreparedStatement ps, int index, Touch t) throws SQLException {
        int i = index;
        ps.setObject(i++, t.channelId().orElse(null), Types.BIGINT);
        ps.setString(i++, t.channelName().orElse(null));
        ps.setString(i++, t.source().orElse(null));
        ps.setString(i++, t.medium().orElse(null));
        ps.setString(i++, t.campaign().orElse(null));
        ps.setString(i++, t.keyword().orElse(null));
        ps.setString(i++, t.landingPage().orElse(null));
        ps.setTimestamp(i++, t.at().map(Timestamp::from).orElse(null));
        for (String name : ClickIds.NAMES) ps.setString(i++, t.clickIds().get(name).orElse(null));
        return i;
    }

    /** The touches of a call row (columns selected by their names). */
    public static Touches touches(ResultSet rs) throws SQLException {
        return new Touches(touch(rs, "first_"), touch(rs, ""));
    }

    public static AnalyticsIds analyticsIds(ResultSet rs) throws SQLException {
        return new AnalyticsIds(Optional.ofNullable(rs.getString("ga_client_id")),
                Optional.ofNullable(rs.getString("ym_client_id")));
    }

    private static Touch touch(ResultSet rs, String prefix) throws SQLException {
        long channel = rs.getLong(prefix + "channel_id");
        Optional<Long> channelId = rs.wasNull() ? Optional.empty() : Optional.of(channel);
        Timestamp at = rs.getTimestamp(prefix + "touch_at");
        Map<String, String> ids = new HashMap<>();
        for (String name : ClickIds.NAMES) ids.put(name, rs.getString(prefix + name));
        return new Touch(Optional.ofNullable(at).map(Timestamp::toInstant), channelId,
                text(rs, prefix + "channel_name"),
                new VisitorSession.Utm(text(rs, prefix + "source"), text(rs, prefix + "medium"),
                        text(rs, prefix + "campaign"), text(rs, prefix + "keyword"), Optional.empty()),
                text(rs, prefix + "landing_page"), ClickIds.of(ids::get));
    }

    private static Optional<String> text(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }
}
