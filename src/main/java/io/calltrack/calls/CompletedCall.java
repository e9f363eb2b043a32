package io.calltrack.calls;

import java.util.Optional;

/**
 * A call that has just been completed, with what its listeners decide by: they need not read it back (on the
 * FastAGI and AMI paths, each read is a database round trip per call). {@code siteId} is empty for a call whose
 * site was deleted; {@code recorded}: it has a recording.
 */
public record CompletedCall(long id, Optional<Long> siteId, boolean recorded) {}
