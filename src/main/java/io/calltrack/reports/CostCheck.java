package io.calltrack.reports;

import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.Fields;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules an ad-spend import row must pass, each row on its own (so a preview can say what is wrong with every
 * row): a day, a channel of the site, an amount from 0 to {@link Fields#MAX_AMOUNT}, and no other row of the
 * same import for the same day, channel and campaign.
 */
public final class CostCheck {
    /** At most this many rows in one import. */
    public static final int MAX_ROWS = 10_000;

    private CostCheck() {}

    /** A row as written: its place (CSV: the line of the file, the header being line 1; JSON: from 1) and texts. */
    public record Input(int row, String day, String channel, String campaign, String amount) {}

    /** A row that passed: the spend it stores (campaign "" = the whole channel). */
    public record Accepted(int row, LocalDate day, String channel, String campaign, BigDecimal amount) {}

    /** A row refused: what it said and why. */
    public record Refused(int row, String day, String channel, String campaign, String amount, String reason) {}

    public record Result(List<Accepted> accepted, List<Refused> refused) {}

    /** Checks every row against the site's channel names and the other rows. */
    public static Result check(List<Input> rows, Set<String> channels) {
        if (rows.isEmpty()) throw ApiException.badRequest("no rows: send at least one day,channel,campaign,amount");
        if (rows.size() > MAX_ROWS) throw ApiException.badRequest("at most " + MAX_ROWS + " rows at once");
        List<Accepted> accepted = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        Map<List<Object>, Integer> seen = new HashMap<>();
        for (Input in : rows) {
            String where = "row " + in.row();
            try {
                Accepted a = new Accepted(in.row(), Fields.day(Fields.text(in.day(), where + ": day", 40), where + ": day"),
                        Fields.text(in.channel(), where + ": channel", 100),
                        Fields.optionalText(in.campaign(), where + ": campaign", 500).orElse(""),
                        Fields.amount(amount(Fields.text(in.amount(), where + ": amount", 40), where), where + ": amount"));
                if (!channels.contains(a.channel())) {
                    throw ApiException.badRequest(where + ": the site has no channel '" + a.channel() + "'");
                }
                Integer earlier = seen.putIfAbsent(List.of(a.day(), a.channel(), a.campaign()), in.row());
                if (earlier != null) {
                    throw ApiException.badRequest(where + ": the same day, channel and campaign as row " + earlier);
                }
                accepted.add(a);
            } catch (ApiException e) {
                refused.add(new Refused(in.row(), in.day(), in.channel(), in.campaign(), in.amount(), e.getMessage()));
            }
        }
        return new Result(accepted, refused);
    }

    private static BigDecimal amount(String text, String where) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(where + ": amount must be a number such as 12.50, got '" + text + "'");
        }
    }
}
