package io.calltrack.calls.api;

import static io.calltrack.access.Permission.RECORDINGS;

import io.calltrack.access.CallerNumbers;
import io.calltrack.calls.Call;
import io.calltrack.platform.http.ApiRequest;
import java.util.List;

/**
 * Calls as the asking principal may see them: the caller's number masked where the site asks so, and no recording
 * for one who may not listen to it. One rule for a call's page, the call log and its CSV export.
 */
final class CallsAsSeen {
    private final CallerNumbers callerNumbers;

    CallsAsSeen(CallerNumbers callerNumbers) {
        this.callerNumbers = callerNumbers;
    }

    List<Call> of(ApiRequest r, List<Call> calls) {
        return callerNumbers.shownTo(r.principal().orElseThrow(), calls).stream()
                .map(c -> mayListen(r, c) ? c : c.withoutRecording()).toList();
    }

    Call of(ApiRequest r, Call call) {
        return of(r, List.of(call)).get(0);
    }

    static boolean mayListen(ApiRequest r, Call call) {
        return r.may(RECORDINGS, call.siteId());
    }
}
