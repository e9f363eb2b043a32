package io.calltrack.access;

import io.calltrack.calls.CallRepository;
import io.calltrack.calls.RecordingFiles;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the recordings of sites that keep them a limited time ({@link SitePrivacy#recordingRetentionDays}): the
 * file, then the call's {@code recording_path}. File first: a run stopped between the two leaves a path to no file
 * (the API answers "no recording"), which the next run clears, never a file nothing points to. Several instances may
 * run it at once: each call's path is cleared by one of them, who counts it. Each site's run that removed anything is
 * one audit entry ({@code recordings.expired}, with how many).
 */
public final class RecordingRetention {
    private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);
    private static final int PAGE = 500;

    private final SitePrivacyStore privacy;
    private final CallRepository calls;
    private final RecordingFiles files;
    private final AuditTrail audit;
    private final Clock clock;

    public RecordingRetention(SitePrivacyStore privacy, CallRepository calls, RecordingFiles files, AuditTrail audit,
                              Clock clock) {
        this.privacy = privacy;
        this.calls = calls;
        this.files = files;
        this.audit = audit;
        this.clock = clock;
    }

    /** One run over every site; how many recordings it removed. */
    public int run() {
        int total = 0;
        for (Map.Entry<Long, Integer> site : privacy.recordingRetention().entrySet()) {
            total += expire(site.getKey(), site.getValue());
        }
        return total;
    }

    private int expire(long siteId, int days) {
        Instant before = clock.instant().minus(Duration.ofDays(days));
        int removed = 0;
        int stuck = 0;
        List<CallRepository.StoredRecording> page;
        do {
            page = calls.recordingsBefore(siteId, before, PAGE);
            for (CallRepository.StoredRecording r : page) {
                try {
                    files.delete(r.path());
                } catch (IOException e) {
                    stuck++; // the path stays, so the next run tries again; not counted as removed
                    log.warn("recording {} of call {} (site {}) is past its {} days but cannot be deleted: {}; "
                            + "check the permissions of recording.dir", r.path(), r.callId(), siteId, days, e.toString());
                    continue;
                }
                if (calls.clearRecording(r.callId(), r.path())) removed++;
            }
        } while (page.size() == PAGE && stuck < page.size());
        if (removed > 0) {
            log.info("removed {} recordings of site {} older than {} days", removed, siteId, days);
            audit.record(new AuditEntry(Optional.empty(), "calltrack", "recordings.expired", Optional.of(siteId),
                    "site " + siteId, Map.of("removed", removed, "retentionDays", days, "before", before.toString()),
                    "local"));
        }
        return removed;
    }
}
