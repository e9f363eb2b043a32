package io.calltrack.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** A finished call's class: a target lead (talked at least the site's threshold), a short call, or unanswered. */
public enum CallClass {
    TARGET, NON_TARGET, UNANSWERED;

    /** What {@code call.class} stores (its CHECK constraint), the {@code class} filter takes and the API shows. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The class stored or asked for as {@code value}; empty when it is none of them. */
    public static Optional<CallClass> of(String value) {
        return Arrays.stream(values()).filter(c -> c.value().equals(value)).findFirst();
    }

    /** "target, non_target or unanswered", for error messages. */
    public static String names() {
        String all = Arrays.stream(values()).map(CallClass::value).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }
}
