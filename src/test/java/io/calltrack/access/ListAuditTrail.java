package io.calltrack.access;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The audit trail as a list, for tests to read until the audit log is stored. */
final class ListAuditTrail implements AuditTrail {
    private final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEntry entry) {
        entries.add(entry);
    }

    List<AuditEntry> of(String action) {
        return entries.stream().filter(e -> e.action().equals(action)).toList();
    }
}
