package io.calltrack.access;

import io.calltrack.calls.CallRepository;
import io.calltrack.calls.RecordingFiles;
import io.calltrack.tracking.VisitorSessions;
import java.io.IOException;
import java.util.Optional;

/**
 * Deletes what calltrack holds about one caller, on their request: their calls with the calls' timelines and
 * pending deliveries, the recordings' files, and the visitor sessions credited to those calls (unless another
 * caller's call is credited to the same one). Files first, then sessions, then calls: a run stopped half-way is
 * finished by running it again, as the calls that lead to the rest are deleted last.
 */
public final class PersonalDataEraser {
    private final CallRepository calls;
    private final VisitorSessions sessions;
    private final RecordingFiles files;

    public PersonalDataEraser(CallRepository calls, VisitorSessions sessions, RecordingFiles files) {
        this.calls = calls;
        this.sessions = sessions;
        this.files = files;
    }

    /** How much was deleted. */
    public record Erased(int calls, int recordings, int visitorSessions) {}

    /** Erases the caller's data on {@code siteId}, or on every site. */
    public Erased erase(String callerNumber, Optional<Long> siteId) throws IOException {
        CallRepository.CallerCalls found = calls.callerCalls(callerNumber, siteId);
        int recordings = 0;
        for (CallRepository.StoredRecording r : found.recordings()) {
            if (files.delete(r.path())) recordings++;
        }
        int visitorSessions = sessions.erase(found.sessionIds());
        return new Erased(calls.delete(found.callIds()), recordings, visitorSessions);
    }
}
