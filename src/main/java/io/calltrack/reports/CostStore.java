package io.calltrack.reports;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Ad spend import: all rows or none; a later import of the same channel, campaign and day replaces the amount. */
public final class CostStore {
    private final Jdbc jdbc;

    public CostStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Reads CSV with a header naming day, channel, campaign (optional) and amount, in any order; the rows as
     * written, numbered by their line (the header is line 1). Blank lines are skipped.
     */
    public static List<CostCheck.Input> parseCsv(String csv) {
        List<List<String>> lines;
        try {
            lines = Csv.read(csv);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (lines.isEmpty()) throw ApiException.badRequest("CSV is empty; expected a header: day,channel,campaign,amount");
        List<String> header = lines.get(0).stream().map(h -> h.trim().toLowerCase(java.util.Locale.ROOT)).toList();
        int day = column(header, "day"), channel = column(header, "channel"), amount = column(header, "amount");
        int campaign = header.indexOf("campaign");
        List<CostCheck.Input> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> f = lines.get(i);
            if (f.stream().allMatch(String::isBlank)) continue;
            out.add(new CostCheck.Input(i + 1, field(f, day), field(f, channel), field(f, campaign), field(f, amount)));
        }
        return out;
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) throw ApiException.badRequest("CSV header lacks column '" + name + "' (have " + header + ")");
        return i;
    }

    private static String field(List<String> f, int index) {
        return index < 0 || index >= f.size() ? null : f.get(index).trim();
    }

    /** The names of the site's channels, which import rows name. */
    public Set<String> channelNames(long siteId) {
        return jdbc.withHandle(h -> h.createQuery("SELECT name FROM channel WHERE site_id = :siteId")
                .bind("siteId", siteId).mapTo(String.class).set());
    }

    /** Stores checked rows in one transaction; a channel deleted since the check refuses them all. */
    public int importCosts(long siteId, List<CostCheck.Accepted> costs) {
        return jdbc.inHandleTransaction(h -> {
            Map<String, Long> channels = h.createQuery("SELECT name, id FROM channel WHERE site_id = :siteId")
                    .bind("siteId", siteId).map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getLong("id")))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            PreparedBatch batch = h.prepareBatch("""
                    INSERT INTO ad_cost (site_id, channel_id, campaign, day, amount)
                    VALUES (:siteId, :channelId, :campaign, :day, :amount)
                    ON CONFLICT (site_id, channel_id, campaign, day) DO UPDATE SET amount = excluded.amount""");
            for (CostCheck.Accepted cost : costs) {
                Long channelId = channels.get(cost.channel());
                if (channelId == null) {
                    throw ApiException.conflict("row " + cost.row() + ": channel '" + cost.channel()
                            + "' was deleted meanwhile; nothing was stored");
                }
                batch.bind("siteId", siteId).bind("channelId", channelId).bind("campaign", cost.campaign())
                        .bind("day", cost.day()).bind("amount", cost.amount()).add();
            }
            if (!costs.isEmpty()) batch.execute();
            return costs.size();
        });
    }
}
