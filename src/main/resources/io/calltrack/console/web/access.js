// What the signed-in user may use, to hide what they may not (the server refuses it anyway).
// Owners and admins have every site; a member has the roles of their grants (lead, marketer, viewer).
// The rules follow AccessPolicy: a site's settings and new sites are the owner's and admins', channels and numbers
// theirs and a marketer's.

function grant(session, siteId) {
  return session.grants.find(g => String(g.siteId) === String(siteId));
}

function everySite(session) {
  return session.role === "owner" || session.role === "admin";
}

function marketer(session, siteId) {
  const g = grant(session, siteId);
  return Boolean(g && g.role === "marketer");
}

export const access = {
  /** The recording: leads, and others granted recordings on the site. */
  hearsRecordings(session, siteId) {
    if (everySite(session)) return true;
    const g = grant(session, siteId);
    return Boolean(g && (g.role === "lead" || g.recordings));
  },
  /** Deal amounts and re-classification (calls.write): a lead's, as AccessPolicy has it; not a marketer's. */
  editsCalls(session, siteId) {
    if (everySite(session)) return true;
    const g = grant(session, siteId);
    return Boolean(g && g.role === "lead");
  },
  /** Users, their roles and grants, everyone's API tokens: the owner (AccessPolicy's users.manage). */
  managesUsers(session) {
    return session.role === "owner";
  },
  /** The audit log: owners and admins (audit.read). */
  readsAudit(session) {
    return everySite(session);
  },
  /** The routing page: owners, admins and the site's leads (the routing API refuses marketers' and viewers' changes). */
  editsRouting(session, siteId) {
    if (everySite(session)) return true;
    const g = grant(session, siteId);
    return Boolean(g && g.role === "lead");
  },
  /** Importing ad costs: marketers of the site (AccessPolicy's costs.write). */
  importsCosts(session, siteId) {
    if (everySite(session)) return true;
    const g = grant(session, siteId);
    return Boolean(g && g.role === "marketer");
  },
  /** The tracking setup page: whoever may change some site's channels and numbers. */
  setsUpTracking(session) {
    return everySite(session) || session.grants.some(g => g.role === "marketer");
  },
  /** New sites (sites.create) and a site's own settings (site.settings). */
  managesSites(session) {
    return everySite(session);
  },
  /** A site's channels and numbers (tracking.write). */
  changesTracking(session, siteId) {
    return everySite(session) || marketer(session, siteId);
  },
  /** A site's delivery settings, status and files (deliveries.read): everyone the site is granted to. */
  readsDeliveries(session, siteId) {
    return everySite(session) || Boolean(grant(session, siteId));
  },
  /** A site's delivery settings and re-sending dead letters (deliveries.write): its marketers; reading is everyone's. */
  changesDeliveries(session, siteId) {
    return everySite(session) || marketer(session, siteId);
  },
};
