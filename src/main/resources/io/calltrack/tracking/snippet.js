/* calltrack website snippet: shows each visitor a tracked phone number. Served by GET /snippet.js?site=KEY. */
(() => {
  "use strict";
  const CONFIG = window.CALLTRACK_CONFIG; // SnippetRoutes writes the site's settings over this name
  const script = document.currentScript;
  if (!CONFIG || !script || !window.fetch || !window.MutationObserver) return; // the default number stays
  const api = new URL(script.src).origin + "/v1/visitor/" + encodeURIComponent(CONFIG.siteKey) + "/sessions";
  const HOLD_MS = CONFIG.holdSeconds * 1000;
  const JOINERS = /^[\d\s().\/\u2010-\u2015-]*$/; // what may stand between the digits of one number
  const INLINE = new Set(("A ABBR B BDI BDO CITE CODE DATA DFN EM FONT I KBD MARK NOBR Q S SAMP SMALL SPAN STRONG "
      + "SUB SUP TIME U VAR WBR").split(" "));
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA", "TEMPLATE"]);
  const digits = s => String(s).replace(/\D/g, "");

  /**
   * A number with what finds it in any format: its national significant digits (the common tail of its E.164 and
   * national digits) and the digits that may precede them, international first: 00+cc, cc+trunk, cc, trunk, none.
   */
  function forms(n) {
    const e = digits(n.e164), d = digits(n.display);
    let k = 0;
    while (k < e.length && k < d.length && e[e.length - 1 - k] === d[d.length - 1 - k]) k++;
    if (k < 4) return Object.assign({ nsn: e, prefixes: ["00", "", "", "", ""] }, n); // no tail in common
    const cc = e.slice(0, e.length - k), trunk = d.slice(0, d.length - k);
    return Object.assign({ nsn: e.slice(e.length - k), prefixes: ["00" + cc, cc + trunk, cc, trunk, ""] }, n);
  }

  const DEFAULT = forms(CONFIG.defaultNumber);
  const known = [DEFAULT]; // every number this page has shown: any of them may still be on it
  const placeholders = new WeakMap(); // a Track ID element's own content, shown while there is no Track ID
  let current = DEFAULT, trackId = null, observer = null;

  /**
   * Where {@code text} shows one of {@code from}, the edits [start, end, replacement] that show {@code to} in the
   * same shape: each digit replaced in place, brackets, spaces, dashes and the prefix kept. A number of another
   * length gets the server's format.
   */
  function edits(text, to, from = known) {
    const d = digits(text);
    if (!from.some(n => d.includes(n.nsn))) return [];
    const pos = [];
    for (let i = 0; i < text.length; i++) if (text[i] >= "0" && text[i] <= "9") pos.push(i);
    const glued = j => j > 0 && pos[j] === pos[j - 1] + 1; // digit j directly follows another digit
    const out = [];
    for (const n of from) {
      for (let i = d.indexOf(n.nsn); i >= 0; i = d.indexOf(n.nsn, i + 1)) {
        const end = i + n.nsn.length;
        if (end < d.length && glued(end)) continue; // inside a longer digit string
        const kind = n.prefixes.findIndex(p => i >= p.length && d.slice(i - p.length, i) === p
            && !glued(i - p.length) && JOINERS.test(text.slice(pos[i - p.length], pos[end - 1])));
        if (kind < 0) continue;
        const j = i - n.prefixes[kind].length, next = to.prefixes[kind] + to.nsn;
        if (next.length === end - j) {
          for (let t = 0; t < next.length; t++) out.push([pos[j + t], pos[j + t] + 1, next[t]]);
        } else {
          let s = pos[j];
          while (s > 0 && "+(".includes(text[s - 1])) s--;
          out.push([s, pos[end - 1] + 1, kind < 3 ? to.international : to.display]);
        }
      }
    }
    out.sort((a, b) => a[0] - b[0]);
    return out.filter((e, i) => i === 0 || e[0] >= out[i - 1][1]);
  }

  /** Text [a, b) of {@code text} after the edits; an edit that changes the length lands where it starts. */
  function splice(text, a, b, eds) {
    let out = "", at = a;
    for (const [s, e, r] of eds) {
      if (e <= a || s >= b) continue;
      const from = Math.max(s, a), to = Math.min(e, b);
      out += text.slice(at, from) + (r.length === e - s ? r.slice(from - s, to - s) : from === s ? r : "");
      at = to;
    }
    return out + text.slice(at, b);
  }

  const rewrite = text => splice(text, 0, text.length, edits(text, current));
  const shows = text => edits(text, current, [current]).length > 0;

  /** Text nodes that read as one line (inline elements only between them) are read together: a split number. */
  function rewriteRun(nodes) {
    const text = nodes.map(n => n.nodeValue).join(""), eds = edits(text, current);
    if (!eds.length) return;
    let a = 0;
    for (const n of nodes) {
      const b = a + n.nodeValue.length, v = splice(text, a, b, eds);
      if (v !== n.nodeValue) n.nodeValue = v;
      a = b;
    }
  }

  function blockOf(node) {
    let p = node.parentNode;
    while (INLINE.has(p.nodeName) && p.parentNode) p = p.parentNode;
    return p;
  }

  /** Shows the current number and Track ID in {@code root} and below it: text, tel: links, marked elements. */
  function scan(root) {
    if (!root || root.nodeType !== 1 || !root.isConnected || SKIP.has(root.nodeName)) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
        { acceptNode: n => SKIP.has(n.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    let run = [], block = null;
    const flush = () => { if (run.length) rewriteRun(run); run = []; };
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 1) {
        if (!INLINE.has(n.nodeName)) flush();
        continue;
      }
      const b = blockOf(n);
      if (b !== block) { flush(); block = b; }
      run.push(n);
    }
    flush();
    const all = sel => [...root.querySelectorAll(sel)].concat(root.matches(sel) ? [root] : []);
    for (const a of all('a[href^="tel:"]')) {
      const h = a.getAttribute("href"), v = "tel:" + rewrite(h.slice(4));
      if (v !== h) a.setAttribute("href", v);
    }
    for (const el of all("[data-calltrack-number]")) {
      if (!shows(el.textContent)) el.textContent = current.display;
      if (el.nodeName === "A" && !shows(el.getAttribute("href") || "")) el.setAttribute("href", "tel:" + current.e164);
    }
    for (const el of all("[data-calltrack-trackid]")) {
      if (!placeholders.has(el)) placeholders.set(el, el.textContent);
      const v = trackId || placeholders.get(el);
      if (el.textContent !== v) el.textContent = v;
    }
  }

  function show(number, tid) {
    if (!known.some(k => k.e164 === number.e164)) known.push(forms(number));
    current = known.find(k => k.e164 === number.e164);
    trackId = tid;
    scan(document.body);
    if (observer) observer.takeRecords(); // our own edits
    else watch();
  }

  /** Numbers the page adds later (rendering, lazy content, modals): only the changed nodes are looked at. */
  function watch() {
    observer = new MutationObserver(records => {
      const roots = new Set();
      for (const r of records) {
        if (r.type === "childList") r.addedNodes.forEach(n => roots.add(n.nodeType === 1 ? n : n.parentNode));
        else roots.add(r.type === "characterData" ? r.target.parentNode : r.target);
      }
      roots.forEach(scan);
      observer.takeRecords(); // our own edits
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true,
      attributeFilter: ["href", "data-calltrack-number", "data-calltrack-trackid"] });
  }

  function cookie(name) {
    const m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    try { return m ? decodeURIComponent(m[1]) : null; } catch (e) { return m[1]; }
  }

  function clientId() {
    let id = cookie("calltrack_cid");
    if (id) return id;
    id = window.crypto && crypto.randomUUID ? crypto.randomUUID()
        : Date.now().toString(36) + Math.random().toString(36).slice(2);
    document.cookie = "calltrack_cid=" + encodeURIComponent(id) + "; path=/; max-age=63072000; SameSite=Lax";
    return id;
  }

  function post(path, body) {
    return fetch(api + path, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body), keepalive: true })
        .then(r => r.ok ? r.json() : Promise.reject({ status: r.status }));
  }

  // Session lifecycle: a number is the visitor's while heartbeats reach calltrack, and for the hold time after.
  // Until a session's first heartbeat calltrack holds its number only briefly (nothing shows a person saw the page):
  // each answer says for how long (holdSeconds).
  let session = null, lastOk = 0, heldMs = HOLD_MS, beatMs = 30000, busy = false, again = false, timer = 0,
    sent = {}, beaten = false;
  const bare = () => location.href.split("#")[0];

  function sync() {
    if (busy) { again = true; return; }
    // a hidden or prerendered tab holds no number; it syncs when shown
    if (document.visibilityState === "hidden" || document.prerendering) return;
    clearTimeout(timer);
    busy = true;
    const now = Date.now();
    if (now - lastOk > heldMs) {
      session = null; // calltrack has let the number go: a stale pool number is worse than the default
      if (current !== DEFAULT) show(DEFAULT, null);
    }
    const v = { page: bare(), gaClientId: cookie("_ga"), ymClientId: cookie("_ym_uid") };
    const start = () => post("", { clientId: clientId(), page: location.href, referrer: document.referrer || null,
      gaClientId: v.gaClientId, ymClientId: v.ymClientId });
    const beat = () => {
      const changed = {}; // only what changed since last sent: a page view, a cookie the analytics tag set late
      for (const k in v) if (v[k] !== null && v[k] !== sent[k]) changed[k] = v[k];
      return post("/" + encodeURIComponent(session) + "/heartbeat", changed)
          .then(s => { beaten = true; return s; })
          .catch(e => e.status === 404 ? start() : Promise.reject(e)); // expired there: start (resume) at once
    };
    (session ? beat() : start()).then(s => {
      if (s.sessionId !== session) beaten = false;
      session = s.sessionId;
      lastOk = now;
      heldMs = (s.holdSeconds || CONFIG.holdSeconds) * 1000;
      sent = v;
      beatMs = s.heartbeatSeconds * 1000;
      if (s.number.e164 !== current.e164 || s.trackId !== trackId) show(s.number, s.trackId);
    }, () => { /* unreachable: the number stays until the hold time has passed */ }).then(() => {
      busy = false;
      timer = setTimeout(sync, beatMs);
      if (again) { again = false; sync(); }
    });
  }

  /** A SPA's page change (history.pushState, back/forward; not a #fragment) is a page view: sent at once. */
  let seen = bare();
  function navigated() {
    if (bare() !== seen) { seen = bare(); sync(); }
  }
  for (const m of ["pushState", "replaceState"]) {
    const f = history[m];
    history[m] = function () { const r = f.apply(this, arguments); navigated(); return r; };
  }
  addEventListener("popstate", navigated);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "hidden") return sync();
    // hidden before its first heartbeat (a tel: link tapped, the next page opened): the page was seen, say so now
    if (session && !beaten && navigator.sendBeacon) {
      beaten = navigator.sendBeacon(api + "/" + encodeURIComponent(session) + "/heartbeat", "{}");
    }
  });
  document.addEventListener("prerenderingchange", sync);
  addEventListener("pageshow", e => { if (e.persisted) sync(); });
  addEventListener("online", sync);
  addEventListener("pagehide", () => {
    if (session && navigator.sendBeacon) navigator.sendBeacon(api + "/" + encodeURIComponent(session) + "/end", "{}");
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", sync);
  else sync();
})();
