package io.calltrack.telephony.sip;

import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;

/**
 * The telephone number a Request-URI or From URI names, as the PBX wrote it (E.164 or national; calltrack's
 * number rules normalise it later): the number of a {@code tel:} URI (RFC 3966), the telephone-subscriber of a
 * {@code sip:} URI with {@code user=phone} (RFC 3261 19.1.1), or the user part of any other SIP URI. Visual
 * separators ({@code -.()}) are dropped and a local number takes a global {@code phone-context} as its prefix.
 */
final class UriNumbers {
    private UriNumbers() {}

    static Optional<String> number(URI uri) {
        if (uri instanceof TelURL tel) {
            return subscriber((tel.isGlobal() ? "+" : "") + tel.getPhoneNumber(), tel.getPhoneContext());
        }
        if (uri instanceof SipURI sip && sip.getUser() != null) {
            String user = sip.getUser().trim();
            if (!"phone".equalsIgnoreCase(sip.getUserParam())) return user.isEmpty() ? Optional.empty() : Optional.of(user);
            // user=phone: the user part is a telephone-subscriber, "+1-312-555-0001;isub=12" or
            // "555-0001;phone-context=+1-312"
            String[] parts = user.split(";");
            String context = null;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].regionMatches(true, 0, "phone-context=", 0, 14)) context = parts[i].substring(14);
            }
            return subscriber(parts[0], context);
        }
        return Optional.empty();
    }

    private static Optional<String> subscriber(String number, String phoneContext) {
        String digits = withoutSeparators(number);
        if (digits.isEmpty()) return Optional.empty();
        if (digits.startsWith("+") || phoneContext == null || !phoneContext.startsWith("+")) return Optional.of(digits);
        return Optional.of(withoutSeparators(phoneContext) + digits);
    }

    private static String withoutSeparators(String number) {
        StringBuilder out = new StringBuilder(number.length());
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c != '-' && c != '.' && c != '(' && c != ')' && !Character.isWhitespace(c)) out.append(c);
        }
        return out.toString();
    }
}
