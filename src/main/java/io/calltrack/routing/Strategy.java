package io.calltrack.routing;

/** How a department's managers are ordered for one call. */
public enum Strategy {
    /** a repeat caller first to the manager who talked to them last, then least-recently-called */
    STICKY,
    /** each call starts one manager further along the department's list */
    ROUND_ROBIN,
    /** the manager who has waited longest since their last call first */
    LEAST_RECENTLY_CALLED,
    /** every available manager's phone rings at once; the first to pick up takes the call */
    RING_ALL
}
