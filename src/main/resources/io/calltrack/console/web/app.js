// The console's shell: who is signed in, the navigation they may use, the site picker, the language switch,
// and the page the address names (#/dashboard, #/calls, #/calls/42, #/sessions/<uuid>). Each page is one module in pages/.
import { html, render, useState, useEffect } from "./vendor.js";
import { api } from "./api.js";
import { t, language, setLanguage, LANGUAGES } from "./i18n.js";
import { access } from "./access.js";
import { Login } from "./pages/login.js";

/**
 * The navigation: one line per page; {@code may} hides what the user's role cannot use, {@code inNav: false} a page
 * reached otherwise, {@code needsSite: false} a page that opens before any site exists (where the first site is
 * made, users are added).
 */
const PAGES = [
  { path: "dashboard", label: "nav.dashboard", module: () => import("./pages/dashboard.js"), may: () => true },
  { path: "calls", label: "nav.calls", module: () => import("./pages/calls.js"), may: () => true },
  { path: "routing", label: "nav.routing", module: () => import("./pages/routing.js"),
    may: (s, siteId) => access.editsRouting(s, siteId) },
  { path: "tracking", label: "nav.tracking", module: () => import("./pages/tracking.js"),
    may: access.setsUpTracking, needsSite: false },
  { path: "reports", label: "nav.reports", module: () => import("./pages/reports.js"), may: () => true },
  { path: "deliveries", label: "nav.deliveries", module: () => import("./pages/deliveries.js"), may: () => true },
  { path: "users", label: "nav.users", module: () => import("./pages/users.js"), needsSite: false,
    may: s => access.managesUsers(s) || access.readsAudit(s) },
  { path: "account", label: "nav.account", module: () => import("./pages/account.js"), may: () => true,
    inNav: false, needsSite: false },
  { path: "sessions", label: "session.title", module: () => import("./pages/session.js"), may: () => true, inNav: false },
];
/** Pages reached from others, not from the navigation. */
const DETAIL = { calls: () => import("./pages/call.js") };

/** The address after #: the page, an id under it, and its query (filters, the chosen site). */
function location_() {
  const [path, query] = (window.location.hash.replace(/^#\/?/, "") || "dashboard").split("?");
  const [page, id] = path.split("/");
  return { page, id: id || null, params: Object.fromEntries(new URLSearchParams(query || "")) };
}

/** Goes to a page; {@code params} become its query (empty values dropped). */
function navigate(page, params = {}, id = null) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  window.location.hash = `#/${page}${id ? "/" + id : ""}${q.toString() ? "?" + q : ""}`;
}

function useLocation() {
  const [where, setWhere] = useState(location_());
  useEffect(() => {
    const on = () => setWhere(location_());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return where;
}

function LanguageSwitch({ onChange }) {
  return html`<label class="lang">${t("nav.language")}
    <select value=${language()} onChange=${e => { setLanguage(e.target.value); onChange(); }}>
      ${LANGUAGES.map(l => html`<option value=${l}>${l === "en" ? "English" : "Русский"}</option>`)}
    </select></label>`;
}

function Shell({ session, onSignedOut, onLanguage }) {
  const where = useLocation();
  const [sites, setSites] = useState(null);
  const [error, setError] = useState(null);
  const [loaded, setLoaded] = useState(null);

  const reloadSites = () => api.sites().then(setSites, setError);
  useEffect(() => { reloadSites(); }, []);

  const siteId = where.params.site || (sites && sites.length ? String(sites[0].id) : null);
  const visible = PAGES.filter(p => p.may(session, siteId));
  const entry = visible.find(p => p.path === where.page) || visible[0];
  const load = where.id && DETAIL[entry.path] ? DETAIL[entry.path] : entry.module;
  useEffect(() => {
    let live = true;
    load().then(m => live && setLoaded({ load, Page: m.default }), setError);
    return () => { live = false; };
  }, [load]);

  const site = sites && sites.find(s => String(s.id) === siteId);
  const Page = loaded && loaded.load === load ? loaded.Page : null;
  const pickSite = id => navigate(entry.path, { ...where.params, site: id });

  async function logout() {
    try { await api.logout(); } finally { onSignedOut(); }
  }

  return html`
    <header class="top">
      <a class="brand" href="#/dashboard">${t("app.title")}</a>
      <nav aria-label="main">
        ${visible.filter(p => p.inNav !== false).map(p => html`<a href=${"#/" + p.path + (siteId ? "?site=" + siteId : "")}
            class=${p === entry ? "current" : ""} aria-current=${p === entry ? "page" : undefined}>${t(p.label)}</a>`)}
      </nav>
      ${sites && sites.length > 0 && html`<label class="site-picker">${t("nav.site")}
        <select id="site-picker" value=${siteId} onChange=${e => pickSite(e.target.value)}>
          ${sites.map(s => html`<option value=${String(s.id)}>${s.name}</option>`)}
        </select></label>`}
      <${LanguageSwitch} onChange=${onLanguage} />
      <a class="who" id="account" href="#/account" title=${t("nav.account")}
          aria-current=${entry.path === "account" ? "page" : undefined}>${session.login}</a>
      <button type="button" id="logout" onClick=${logout}>${t("nav.logout")}</button>
    </header>
    <main>
      ${error && html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`}
      ${sites && sites.length === 0 && entry.needsSite !== false && html`<p class="empty">${t("sites.none")}</p>`}
      ${sites && (site || entry.needsSite === false) && Page && html`<${Page} key=${where.page + where.id}
          session=${session} site=${site} sites=${sites} id=${where.id} params=${where.params} reloadSites=${reloadSites}
          go=${(params, id) => navigate(entry.path, { site: siteId, ...params }, id)} />`}
    </main>`;
}

function App() {
  const [session, setSession] = useState(undefined);
  const [, setTick] = useState(0);
  const relabel = () => setTick(n => n + 1);
  useEffect(() => {
    api.onSignedOut(() => setSession(null));
    api.session().then(setSession, () => setSession(null));
  }, []);
  if (session === undefined) return html`<p class="loading">${t("common.loading")}</p>`;
  if (session === null) {
    return html`<div class="login-page"><${LanguageSwitch} onChange=${relabel} />
      <${Login} onSignedIn=${setSession} /></div>`;
  }
  return html`<${Shell} session=${session} onSignedOut=${() => setSession(null)} onLanguage=${relabel} />`;
}

render(html`<${App} />`, document.getElementById("app"));
