package io.calltrack.routing;

import io.calltrack.InvalidField;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.calltrack.tracking.PhoneNumbers;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A site's routing as JSON, the form leads edit, import and export: departments with their managers, and the
 * rules in order. {@link #validate} turns it into the engine's model or names the first bad element by its path
 * ({@code rules[2].schedule.hours[0]}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoutingDocument(List<DepartmentDoc> departments, List<RuleDoc> rules) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DepartmentDoc(String name, List<ManagerDoc> managers) {}

    /**
     * {@code dialString}: what Asterisk dials for calls that come over FastAGI ({@code PJSIP/101});
     * {@code sipUri}: where the SIP redirect sends INVITEs and OPTIONS probes ({@code sip:101@10.0.0.5}). At least
     * one; a manager with only one is skipped by the other telephony. {@code id} and {@code reachable} are exported
     * for reading; an import ignores them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ManagerDoc(Long id, String name, String dialString, String sipUri, Boolean active,
                             Integer ringTimeoutSeconds, Boolean reachable) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RuleDoc(String name, Boolean enabled, WhenDoc when, ScheduleDoc schedule, ThenDoc then) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WhenDoc(List<String> numbers, List<String> channels, List<String> campaigns, List<String> sources,
                          List<String> callerPrefixes, String caller) {}

    /** {@code days}: MON..SUN; {@code hours}: "09:00-18:00" (an end not after the start crosses midnight). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScheduleDoc(List<String> days, List<String> hours, List<String> holidays) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ThenDoc(String department, String strategy, List<OverflowDoc> overflow) {}

    /** Exactly one of: {@code department} (+ {@code strategy}), {@code external} (+ {@code timeoutSeconds}), {@code voicemail}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OverflowDoc(String department, String strategy, String external, Integer timeoutSeconds,
                              String voicemail) {}

    /** A valid manager to store. */
    public record ManagerSpec(String name, Optional<String> dialString, Optional<String> sipUri, boolean active,
                              int ringTimeoutSeconds) {}

    /** The departments to store, by name, with their managers. */
    public record DepartmentSpec(String name, List<ManagerSpec> managers) {}

    public List<DepartmentSpec> validDepartments() {
        List<DepartmentSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<DepartmentDoc> docs = departments == null ? List.of() : departments;
        for (int i = 0; i < docs.size(); i++) {
            String path = "departments[" + i + "]";
            DepartmentDoc d = docs.get(i);
            if (d == null || blank(d.name())) throw new InvalidField(path + ".name", "is required");
            if (!names.add(d.name())) throw new InvalidField(path + ".name", "'" + d.name() + "' is listed twice");
            List<ManagerSpec> managers = new ArrayList<>();
            Set<String> managerNames = new HashSet<>();
            List<ManagerDoc> mdocs = d.managers() == null ? List.of() : d.managers();
            for (int j = 0; j < mdocs.size(); j++) {
                String mp = path + ".managers[" + j + "]";
                ManagerDoc m = mdocs.get(j);
                if (m == null || blank(m.name())) throw new InvalidField(mp + ".name", "is required");
                if (!managerNames.add(m.name())) throw new InvalidField(mp + ".name", "'" + m.name() + "' is listed twice");
                if (blank(m.dialString()) && blank(m.sipUri())) {
                    throw new InvalidField(mp + ".dialString", "is required unless sipUri is set: what Asterisk "
                            + "dials (PJSIP/101), and/or sipUri for the SIP redirect (sip:101@pbx.example.com)");
                }
                Optional<String> dial = present(m.dialString()).map(v -> checked(mp + ".dialString", v,
                        DialStrings::asterisk, "; for the SIP redirect, set it as sipUri"));
                Optional<String> sip = present(m.sipUri()).map(u -> checked(mp + ".sipUri", u, DialStrings::sipUri, ""));
                int timeout = m.ringTimeoutSeconds() == null ? 20 : m.ringTimeoutSeconds();
                if (timeout < 1 || timeout > 600) throw new InvalidField(mp + ".ringTimeoutSeconds", "must be 1-600, got " + timeout);
                managers.add(new ManagerSpec(m.name(), dial, sip, m.active() == null || m.active(), timeout));
            }
            out.add(new DepartmentSpec(d.name(), managers));
        }
        return out;
    }

    /** The rules in order, checked against the department names and with tracked numbers in E.164. */
    public List<RuleDoc> validRules(Set<String> departmentNames, PhoneNumbers phoneNumbers) {
        List<RuleDoc> docs = rules == null ? List.of() : rules;
        List<RuleDoc> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            out.add(validRule(docs.get(i), "rules[" + i + "]", departmentNames, phoneNumbers));
        }
        return out;
    }

    static RuleDoc validRule(RuleDoc r, String path, Set<String> departments, PhoneNumbers phoneNumbers) {
        if (r == null || blank(r.name())) throw new InvalidField(path + ".name", "is required");
        WhenDoc when = r.when();
        if (when != null && when.numbers() != null) {
            List<String> e164 = new ArrayList<>();
            for (int j = 0; j < when.numbers().size(); j++) {
                String n = when.numbers().get(j);
                String np = path + ".when.numbers[" + j + "]";
                e164.add(phoneNumbers.toE164(n).orElseThrow(() -> new InvalidField(np, "'" + n + "' is not a phone number")));
            }
            when = new WhenDoc(e164, when.channels(), when.campaigns(), when.sources(), when.callerPrefixes(), when.caller());
        }
        RuleDoc normalised = new RuleDoc(r.name(), r.enabled(), when, r.schedule(), r.then());
        toRule(0, normalised, path, departments);
        return normalised;
    }

    /**
     * The engine's rule; {@code departments} null (loading stored rules) skips the department check and the
     * external destination's.
     */
    static Rule toRule(long id, RuleDoc r, String path, Set<String> departments) {
        WhenDoc w = r.when() == null ? new WhenDoc(null, null, null, null, null, null) : r.when();
        Rule.CallerKind caller = parse(Rule.CallerKind.class, w.caller() == null ? "any" : w.caller(),
                path + ".when.caller", "any, first_time or repeat");
        Rule.Conditions when = new Rule.Conditions(set(w.numbers()), set(w.channels()), set(w.campaigns()),
                set(w.sources()), w.callerPrefixes() == null ? List.of() : w.callerPrefixes(), caller);
        if (r.then() == null) throw new InvalidField(path + ".then", "is required");
        String dept = department(r.then().department(), path + ".then.department", departments);
        Strategy strategy = strategy(r.then().strategy(), path + ".then.strategy");
        List<Rule.Overflow> overflow = new ArrayList<>();
        List<OverflowDoc> steps = r.then().overflow() == null ? List.of() : r.then().overflow();
        for (int k = 0; k < steps.size(); k++) {
            overflow.add(overflow(steps.get(k), path + ".then.overflow[" + k + "]", departments));
        }
        return new Rule(id, r.name(), r.enabled() == null || r.enabled(), when,
                schedule(r.schedule(), path + ".schedule"), new Rule.Action(dept, strategy, overflow));
    }

    private static Rule.Overflow overflow(OverflowDoc o, String path, Set<String> departments) {
        int kinds = (o == null ? 0 : (o.department() != null ? 1 : 0) + (o.external() != null ? 1 : 0)
                + (o.voicemail() != null ? 1 : 0));
        if (kinds != 1) throw new InvalidField(path, "needs exactly one of department, external or voicemail");
        if (o.department() != null) {
            return new Rule.Overflow.ToDepartment(department(o.department(), path + ".department", departments),
                    strategy(o.strategy(), path + ".strategy"));
        }
        if (o.external() != null) {
            // a stored rule is read as it was accepted: a check added since must not drop it from routing
            if (departments != null) checked(path + ".external", o.external(), DialStrings::destination, "");
            int timeout = o.timeoutSeconds() == null ? 30 : o.timeoutSeconds();
            if (timeout < 1 || timeout > 600) throw new InvalidField(path + ".timeoutSeconds", "must be 1-600");
            return new Rule.Overflow.ToExternal(o.external(), timeout);
        }
        if (!o.voicemail().matches("[\\w.-]+(@[\\w.-]+)?")) {
            throw new InvalidField(path + ".voicemail", "must be a mailbox such as 100@default");
        }
        return new Rule.Overflow.ToVoicemail(o.voicemail());
    }

    private static Schedule schedule(ScheduleDoc s, String path) {
        if (s == null) return Schedule.ALWAYS;
        Set<DayOfWeek> days = new HashSet<>();
        List<String> dayDocs = s.days() == null ? List.of() : s.days();
        for (int i = 0; i < dayDocs.size(); i++) days.add(day(dayDocs.get(i), path + ".days[" + i + "]"));
        List<Schedule.HourRange> hours = new ArrayList<>();
        List<String> hourDocs = s.hours() == null ? List.of() : s.hours();
        for (int i = 0; i < hourDocs.size(); i++) {
            String h = hourDocs.get(i);
            String[] parts = h == null ? new String[0] : h.split("-");
            try {
                if (parts.length != 2) throw new DateTimeParseException("", "", 0);
                hours.add(new Schedule.HourRange(time(parts[0]), time(parts[1])));
            } catch (DateTimeParseException e) {
                throw new InvalidField(path + ".hours[" + i + "]", "'" + h + "' is not HH:MM-HH:MM");
            }
        }
        Set<LocalDate> holidays = new HashSet<>();
        List<String> holidayDocs = s.holidays() == null ? List.of() : s.holidays();
        for (int i = 0; i < holidayDocs.size(); i++) {
            try {
                holidays.add(LocalDate.parse(holidayDocs.get(i)));
            } catch (DateTimeParseException | NullPointerException e) {
                throw new InvalidField(path + ".holidays[" + i + "]", "'" + holidayDocs.get(i) + "' is not a date (YYYY-MM-DD)");
            }
        }
        return new Schedule(days, hours, holidays);
    }

    private static LocalTime time(String s) {
        String t = s.trim();
        return t.equals("24:00") ? LocalTime.MAX : LocalTime.parse(t.length() == 4 ? "0" + t : t);
    }

    private static DayOfWeek day(String d, String path) {
        for (DayOfWeek w : DayOfWeek.values()) {
            if (d != null && (w.name().equalsIgnoreCase(d) || w.name().substring(0, 3).equalsIgnoreCase(d))) return w;
        }
        throw new InvalidField(path, "'" + d + "' is not a weekday (MON..SUN)");
    }

    private static String department(String name, String path, Set<String> departments) {
        if (blank(name)) throw new InvalidField(path, "is required");
        if (departments != null && !departments.contains(name)) {
            throw new InvalidField(path, "unknown department '" + name + "'");
        }
        return name;
    }

    private static Strategy strategy(String s, String path) {
        return parse(Strategy.class, s == null ? "round_robin" : s, path,
                "sticky, round_robin, least_recently_called or ring_all");
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String path, String allowed) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidField(path, "'" + value + "' is not one of " + allowed);
        }
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : Set.copyOf(values);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Optional<String> present(String s) {
        return blank(s) ? Optional.empty() : Optional.of(s);
    }

    /**
     * {@code check(value)}, its failure named by {@code path}; {@code sipHint} is added when the value is a SIP URI
     * (where a dial string was expected).
     */
    private static String checked(String path, String value, UnaryOperator<String> check, String sipHint) {
        try {
            return check.apply(value);
        } catch (DialStrings.Invalid e) {
            boolean sip = DialStrings.telephonyOf(value) == Telephony.SIP_REDIRECT;
            throw new InvalidField(path, e.getMessage() + (sip ? sipHint : ""));
        }
    }
}
