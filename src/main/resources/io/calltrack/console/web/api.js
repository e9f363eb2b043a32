// The console's one client of the calltrack HTTP API: the same public endpoints scripts use.
// The session cookie is HttpOnly (never read here); changes send the CSRF token the session answer gave.

let csrfToken = null;

/**
 * An API answer other than 2xx: its status, the server's message, for 429 the seconds to wait, and the answer's
 * body (a bulk add's 400 lists its errors line by line).
 */
export class ApiError extends Error {
  constructor(status, message, retryAfter, body) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
    this.body = body;
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

/** Who is signed in, from the session answer: {login, role ("owner" | "admin" | "member"), grants}. */
function principal(answer) {
  csrfToken = answer.csrfToken || null;
  return { login: answer.login, role: answer.role, grants: answer.grants || [] };
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
  deleteNumber: (siteId, id) => call("DELETE", `/v1/sites/${siteId}/numbers/${id}`),
  /** A pasted list or CSV, one number a line; {@code dryRun} checks it and stores nothing. */
  bulkNumbers: (siteId, text, dryRun) => call("POST", `/v1/sites/${siteId}/numbers/bulk`,
    { csv: text, query: { dryRun: dryRun ? "true" : "" } }),
  installation: siteId => call("GET", `/v1/sites/${siteId}/installation`),
  report: (siteId, query) => call("GET", `/v1/sites/${siteId}/reports`, { query }),
  poolHealth: (siteId, query) => call("GET", `/v1/sites/${siteId}/pool-health`, { query }),
  calls: query => call("GET", "/v1/calls", { query }),
  call: id => call("GET", `/v1/calls/${id}`),
  setDeal: (id, amount) => call("PUT", `/v1/calls/${id}/deal`, { body: { amount } }),
  reclassify: siteId => call("POST", `/v1/sites/${siteId}/reclassify`),
  /** URLs the browser loads itself (the audio element, a download link): the cookie goes with them. */
  recordingUrl: id => `/v1/calls/${id}/recording`,
  callsCsvUrl: query => withQuery("/v1/calls", { ...query, format: "csv" }),
};

/** The path with the query's non-empty values. */
function withQuery(path, query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") p.set(k, v);
  return p.toString() ? `${path}?${p}` : path;
}
