package io.calltrack.routing;

import java.util.Optional;

/**
 * One place to send the call: a manager's phone (or several at once for ring-all), an external number,
 * or a voicemail box ({@code dialString} is then the mailbox, e.g. {@code 100@default}).
 */
public record Destination(Kind kind, String dialString, int timeoutSeconds, Optional<Long> managerId,
                          Optional<Long> departmentId) {
    public enum Kind { MANAGER, EXTERNAL, VOICEMAIL }
}
