package io.calltrack.reports;

import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.Fields;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Ad spend import: all rows or none; a later import of the same channel, campaign and day replaces the amount. */
public final class CostStore {
    private final Jdbc jdbc;

    public CostStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Parses CSV with a header naming day, channel, campaign (optional) and amount, in any order. */
    public static List<AdCost> parseCsv(String csv) {
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
        List<AdCost> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> f = lines.get(i);
            if (f.size() == 1 && f.get(0).isBlank()) continue;
            int line = i + 1;
            out.add(new AdCost(
                    parseDay(field(f, day, line), line), field(f, channel, line),
                    campaign < 0 || campaign >= f.size() ? "" : f.get(campaign).trim(),
                    parseAmount(field(f, amount, line), line)));
        }
        return out;
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) throw ApiException.badRequest("CSV header lacks column '" + name + "' (have " + header + ")");
        return i;
    }

    private static String field(List<String> f, int index, int line) {
        if (index >= f.size() || f.get(index).isBlank()) {
            throw ApiException.badRequest("line " + line + ": missing field " + (index + 1));
        }
        return f.get(index).trim();
    }

    private static LocalDate parseDay(String s, int line) {
        try {
            return Fields.dayIn(LocalDate.parse(s), "line " + line + ": day");
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("line " + line + ": day must be YYYY-MM-DD, got '" + s + "'");
        }
    }

    private static BigDecimal parseAmount(String s, int line) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("line " + line + ": amount must be a number, got '" + s + "'");
        }
    }

    /** Stores the rows for the site; returns how many. Unknown channels or negative amounts refuse the whole import. */
    public int importCosts(long siteId, List<AdCost> costs) {
        return jdbc.inHandleTransaction(h -> {
            Map<String, Long> channels = h.createQuery("SELECT name, id FROM channel WHERE site_id = :siteId")
                    .bind("siteId", siteId).map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getLong("id")))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            PreparedBatch batch = h.prepareBatch("""
                    INSERT INTO ad_cost (site_id, channel_id, campaign, day, amount)
                    VALUES (:siteId, :channelId, :campaign, :day, :amount)
                    ON CONFLICT (site_id, channel_id, campaign, day) DO UPDATE SET amount = excluded.amount""");
            int n = 0;
            for (AdCost cost : costs) {
                n++;
                if (cost.day() == null || cost.channel() == null || cost.amount() == null) {
                    throw ApiException.badRequest("row " + n + ": day, channel and amount are required");
                }
                Long channelId = channels.get(cost.channel());
                if (channelId == null) {
                    throw ApiException.badRequest("row " + n + ": site has no channel '" + cost.channel() + "'");
                }
                Fields.amount(cost.amount(), "row " + n + ": amount");
                Fields.dayIn(cost.day(), "row " + n + ": day");
                batch.bind("siteId", siteId).bind("channelId", channelId)
                        .bind("campaign", cost.campaign() == null ? "" : cost.campaign())
                        .bind("day", cost.day()).bind("amount", cost.amount()).add();
            }
            if (!costs.isEmpty()) batch.execute();
            return costs.size();
        });
    }
}
