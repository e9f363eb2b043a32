// The console's one client of the calltrack HTTP API: the same public endpoints scripts use.
// The session cookie is HttpOnly (never read here); changes send the CSRF token the session answer gave.

let csrfToken = null;

/**
 * An API answer other than 2xx: its status, the server's message, for 429 the seconds to wait, its whole body (a
 * cost import's or a bulk add's row errors), and for a 400 about one element of the body the path of that element
 * ({@code field}, e.g. "rules[0].schedule.hours[1]").
 */
export class ApiError extends Error {
  constructor(status, message, retryAfter, body) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
    this.body = body;
    this.field = (body && body.field) || null;
  }
}

/** {@code body}: sent as JSON; {@code csv}: text sent as it is (text/csv), for the endpoints that read lists. */
async function call(method, path, { query, body, csv } = {}) {
  const url = withQuery(path, query || {});
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csv !== undefined) headers["Content-Type"] = "text/csv; charset=utf-8";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const res = await fetch(url, {
    method, headers, credentials: "same-origin",
    body: csv !== undefined ? csv : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (res.status === 401 && path !== "/v1/session") signedOut();
  if (!res.ok) {
    const retry = Number(res.headers.get("Retry-After"));
    throw new ApiError(res.status, (data && data.error) || res.statusText || String(res.status),
      Number.isFinite(retry) && retry > 0 ? retry : null, data);
  }
  return data;
}

/** Who is signed in, from the session answer: {userId, login, role ("owner" | "admin" | "member"), grants}. */
function principal(answer) {
  csrfToken = answer.csrfToken || null;
  return { userId: answer.userId, login: answer.login, role: answer.role, grants: answer.grants || [] };
}

let signedOut = () => {};

export const api = {
  /** Called when the session has ended under a page (timed out, signed out elsewhere, user disabled). */
  onSignedOut(callback) {
    signedOut = callback;
  },
  /** The signed-in user, or null when nobody is (401). */
  async session() {
    try {
      return principal(await call("GET", "/v1/session"));
    } catch (e) {
      if (e.status === 401) return null;
      throw e;
    }
  },
  async login(login, password) {
    return principal(await call("POST", "/v1/session", { body: { login, password } }));
  },
  async logout() {
    await call("DELETE", "/v1/session");
    csrfToken = null;
  },
  /** One's own password; the answer is the browser's new session (every other session of the user has ended). */
  async changePassword(currentPassword, newPassword) {
    return principal(await call("PUT", "/v1/session/password", { body: { currentPassword, newPassword } }));
  },
  users: () => call("GET", "/v1/users"),
  createUser: user => call("POST", "/v1/users", { body: user }),
  /** {@code change}: any of role, disabled, password (a reset). */
  changeUser: (id, change) => call("PATCH", `/v1/users/${id}`, { body: change }),
  setGrants: (id, grants) => call("PUT", `/v1/users/${id}/grants`, { body: grants }),
  /** One's own tokens; {@code all}: everyone's (the owner). */
  tokens: all => call("GET", "/v1/tokens", { query: { all: all ? "true" : "" } }),
  /** The answer holds the token itself, shown this once. */
  createToken: token => call("POST", "/v1/tokens", { body: token }),
  revokeToken: id => call("DELETE", `/v1/tokens/${id}`),
  audit: query => call("GET", "/v1/audit", { query }),
  sites: () => call("GET", "/v1/sites"),
  site: id => call("GET", `/v1/sites/${id}`),
  createSite: site => call("POST", "/v1/sites", { body: site }),
  saveSite: (id, site) => call("PUT", `/v1/sites/${id}`, { body: site }),
  channels: siteId => call("GET", `/v1/sites/${siteId}/channels`),
  createChannel: (siteId, channel) => call("POST", `/v1/sites/${siteId}/channels`, { body: channel }),
  saveChannel: (siteId, id, channel) => call("PUT", `/v1/sites/${siteId}/channels/${id}`, { body: channel }),
  deleteChannel: (siteId, id) => call("DELETE", `/v1/sites/${siteId}/channels/${id}`),
  numbers: siteId => call("GET", `/v1/sites/${siteId}/numbers`),
  createNumber: (siteId, number) => call("POST", `/v1/sites/${siteId}/numbers`, { body: number }),
  /** The whole number: number, kind, channelId (a static one's), trackIdEntry. */
  saveNumber: (siteId, id, number) => call("PUT", `/v1/sites/${siteId}/numbers/${id}`, { body: number }),
  deleteNumber: (siteId, id) => call("DELETE", `/v1/sites/${siteId}/numbers/${id}`),
  /** A pasted list or CSV, one number a line; {@code dryRun} checks it and stores nothing. */
  bulkNumbers: (siteId, text, dryRun) => call("POST", `/v1/sites/${siteId}/numbers/bulk`,
    { csv: text, query: { dryRun: dryRun ? "true" : "" } }),
  installation: siteId => call("GET", `/v1/sites/${siteId}/installation`),
  report: (siteId, query) => call("GET", `/v1/sites/${siteId}/reports`, { query }),
  /** A dry run of a cost CSV: every row, refused ones with their reason (a 400 whose body lists them). */
  previewCosts: (siteId, csv) => call("POST", `/v1/sites/${siteId}/costs`, { query: { dryRun: "true" }, csv }),
  importCosts: (siteId, rows) => call("POST", `/v1/sites/${siteId}/costs`, { body: rows }),
  poolHealth: (siteId, query) => call("GET", `/v1/sites/${siteId}/pool-health`, { query }),
  deliverySettings: siteId => call("GET", `/v1/sites/${siteId}/delivery-settings`),
  /** Merges into the stored settings: a secret it does not name is kept. */
  patchDeliverySettings: (siteId, patch) => call("PATCH", `/v1/sites/${siteId}/delivery-settings`, { body: patch }),
  deliveryStatus: siteId => call("GET", `/v1/sites/${siteId}/delivery-status`),
  deliveries: (siteId, query) => call("GET", `/v1/sites/${siteId}/deliveries`, { query }),
  deadLetters: siteId => call("GET", `/v1/sites/${siteId}/dead-letters`),
  resend: id => call("POST", `/v1/outbox/${id}/resend`),
  calls: query => call("GET", "/v1/calls", { query }),
  /** {now, calls}: the calls ringing or talking now and the server's time, which their durations are reckoned to. */
  liveCalls: siteId => call("GET", "/v1/calls/live", { query: { site: siteId } }),
  call: id => call("GET", `/v1/calls/${id}`),
  /** A visitor session with the same visitor's calls on its site. */
  visitorSession: id => call("GET", `/v1/sessions/${id}`),
  setDeal: (id, amount) => call("PUT", `/v1/calls/${id}/deal`, { body: { amount } }),
  setTags: (id, tags) => call("PUT", `/v1/calls/${id}/tags`, { body: { tags } }),
  setNote: (id, note) => call("PUT", `/v1/calls/${id}/note`, { body: { note } }),
  transcript: id => call("GET", `/v1/calls/${id}/transcript`),
  reclassify: siteId => call("POST", `/v1/sites/${siteId}/reclassify`),
  routing: siteId => call("GET", `/v1/sites/${siteId}/routing`),
  patchRouting: (siteId, patch) => call("PATCH", `/v1/sites/${siteId}/routing`, { body: patch }),
  addRule: (siteId, rule) => call("POST", `/v1/sites/${siteId}/rules`, { body: rule }),
  /** The n-th rule, from 1. */
  replaceRule: (siteId, n, rule) => call("PUT", `/v1/sites/${siteId}/rules/${n}`, { body: rule }),
  patchRule: (siteId, n, patch) => call("PATCH", `/v1/sites/${siteId}/rules/${n}`, { body: patch }),
  deleteRule: (siteId, n) => call("DELETE", `/v1/sites/${siteId}/rules/${n}`),
  addManager: (siteId, manager) => call("POST", `/v1/sites/${siteId}/managers`, { body: manager }),
  setManagerActive: (id, active) => call("PATCH", `/v1/managers/${id}`, { body: { active } }),
  simulate: (siteId, request) => call("POST", `/v1/sites/${siteId}/routing/simulate`, { body: request }),
  /** URLs the browser loads itself (the audio element, a download link): the cookie goes with them. */
  recordingUrl: id => `/v1/calls/${id}/recording`,
  reportCsvUrl: (siteId, query) => withQuery(`/v1/sites/${siteId}/reports`, { ...query, format: "csv" }),
  /** {@code query}: from, to (site days) and client_id_type (CLIENT_ID or YCLID). */
  metricaCallsUrl: (siteId, query) => withQuery(`/v1/sites/${siteId}/exports/metrica-calls`, query),
  callsCsvUrl: query => withQuery("/v1/calls", { ...query, format: "csv" }),
};

/** The path with the query's non-empty values. */
function withQuery(path, query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") p.set(k, v);
  return p.toString() ? `${path}?${p}` : path;
}
