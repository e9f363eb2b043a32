package io.calltrack.access;

import io.calltrack.calls.Call;
import io.calltrack.calls.CallLog;
import io.calltrack.tracking.PhoneNumbers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Callers' numbers as a principal may see them. On a site set to {@code maskCallerNumbers}, only those with recording
 * access there see them in clear (owners, admins, the site's leads, members granted its recordings); anyone else
 * sees {@code +7 916 ***-**-67}: enough to tell calls apart, not to call back.
 */
public final class CallerNumbers {
    /** National digits shown at the start (operator or area code) and at the end. */
    private static final int SHOWN_LEADING = 3;
    private static final int SHOWN_TRAILING = 2;

    private final SitePrivacyStore privacy;
    private final PhoneNumbers phoneNumbers;

    public CallerNumbers(SitePrivacyStore privacy, PhoneNumbers phoneNumbers) {
        this.privacy = privacy;
        this.phoneNumbers = phoneNumbers;
    }

    /** May listen to the site's recordings (the same rule as the recording route's); a call of no site: sees all. */
    private static boolean hasRecordingAccess(Principal who, Optional<Long> siteId) {
        return siteId.map(id -> AccessPolicy.may(who, Permission.RECORDINGS, id))
                .orElseGet(() -> AccessPolicy.sites(who).all());
    }

    public Call shownTo(Principal who, Call call) {
        return shownTo(who, List.of(call)).get(0);
    }

    /** The calls, their callers' numbers masked where {@code who} may not see them (one settings read per list). */
    public List<Call> shownTo(Principal who, List<Call> calls) {
        return shownTo(who, calls, Call::siteId, Call::callerNumber, CallerNumbers::withCaller);
    }

    /** The calls ringing or talking now, masked as the call log is. */
    public List<CallLog.LiveCall> liveShownTo(Principal who, List<CallLog.LiveCall> calls) {
        return shownTo(who, calls, CallLog.LiveCall::siteId, CallLog.LiveCall::callerNumber,
                CallLog.LiveCall::withCaller);
    }

    private <T> List<T> shownTo(Principal who, List<T> calls, Function<T, Optional<Long>> site,
                                Function<T, Optional<String>> caller, BiFunction<T, String, T> withCaller) {
        Set<Long> hidden = calls.stream().filter(c -> !hasRecordingAccess(who, site.apply(c)))
                .map(c -> site.apply(c).orElse(0L)).collect(Collectors.toSet());
        if (hidden.isEmpty()) return calls;
        Map<Long, SitePrivacy> settings = privacy.of(hidden);
        return calls.stream().map(c -> {
            if (caller.apply(c).isEmpty() || hasRecordingAccess(who, site.apply(c))) return c;
            // a call of no site (an unknown number) has no setting: masked, as nobody set it to be shown
            boolean mask = site.apply(c).map(id -> settings.getOrDefault(id, SitePrivacy.DEFAULT).maskCallerNumbers())
                    .orElse(true);
            return mask ? withCaller.apply(c, mask(caller.apply(c).get())) : c;
        }).toList();
    }

    /** {@code +79161234567} as {@code +7 916 ***-**-67}: the country and operator code and the last two digits. */
    public String mask(String e164) {
        String shown = phoneNumbers.displayInternational(e164);
        int space = shown.indexOf(' ');
        if (!shown.startsWith("+") || space < 0) return maskDigits(e164, 1, 0); // not a number libphonenumber knows
        String national = shown.substring(space + 1);
        long digits = national.chars().filter(Character::isDigit).count();
        int leading = digits > SHOWN_LEADING + SHOWN_TRAILING ? SHOWN_LEADING : 0;
        return shown.substring(0, space + 1) + maskDigits(national, leading, (int) digits);
    }

    /** Masks every digit of {@code text} except the first {@code leading} and the last two. */
    private static String maskDigits(String text, int leading, int digitCount) {
        int total = digitCount > 0 ? digitCount : (int) text.chars().filter(Character::isDigit).count();
        StringBuilder out = new StringBuilder(text.length());
        int seen = 0;
        for (char ch : text.toCharArray()) {
            if (!Character.isDigit(ch)) {
                out.append(ch);
                continue;
            }
            seen++;
            out.append(seen <= leading || seen > total - SHOWN_TRAILING ? ch : '*');
        }
        return out.toString();
    }

    private static Call withCaller(Call c, String caller) {
        return new Call(c.id(), c.linkedid(), c.origin(), c.siteId(), c.numberId(), c.calledNumber(),
                Optional.of(caller), c.attribution(), c.visit(), c.firstTimeCaller(), c.repeatCall(), c.state(),
                c.startedAt(), c.answeredAt(), c.endedAt(), c.managerId(), c.outcome(), c.recordingPath(),
                c.dealAmount());
    }
}
