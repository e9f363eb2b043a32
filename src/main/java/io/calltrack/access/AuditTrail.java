package io.calltrack.access;

/** Where the audit log is written; the access capability's store is the only implementation outside tests. */
@FunctionalInterface
public interface AuditTrail {
    /** Records one entry now (the trail stamps the time from its clock). */
    void record(AuditEntry entry);
}
