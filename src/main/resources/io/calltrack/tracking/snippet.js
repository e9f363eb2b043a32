/* calltrack website snippet: shows each visitor a tracked phone number. Served by GET /snippet.js?site=KEY. */
(function () {
  "use strict";
  var CONFIG = /*CALLTRACK_CONFIG*/null;
  var script = document.currentScript;
  if (!CONFIG || !script || !window.fetch) return; // the site's default number simply stays
  var api = new URL(script.src).origin + "/v1/visitor/" + encodeURIComponent(CONFIG.siteKey) + "/sessions";
  var COOKIE = "calltrack_cid";
  var PHONE_LIKE = /\+?\(?\d[\d\s().\-]{5,}\d/g;
  var shownNumber = null;

  function digits(s) { return String(s).replace(/\D/g, ""); }
  function isDefault(s) { var d = digits(s); return d === CONFIG.defaultDigits || d === CONFIG.defaultNationalDigits; }

  function clientId() {
    var m = document.cookie.match(new RegExp("(?:^|; )" + COOKIE + "=([^;]*)"));
    if (m) return decodeURIComponent(m[1]);
    var id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
        : Date.now().toString(36) + Math.random().toString(36).slice(2);
    document.cookie = COOKIE + "=" + encodeURIComponent(id) + "; path=/; max-age=63072000; SameSite=Lax";
    return id;
  }

  function post(path, body) {
    return fetch(api + path, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}), keepalive: true }).then(function (r) {
      if (!r.ok) throw new Error("calltrack: HTTP " + r.status);
      return r.json();
    });
  }

  /** Replaces the default number (and the previously shown one) in visible text, tel: links and marked elements. */
  function show(number, trackId) {
    var previous = shownNumber;
    function replaceable(s) { return isDefault(s) || (previous && digits(s) === digits(previous.e164)); }
    var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        var p = n.parentNode && n.parentNode.nodeName;
        return p === "SCRIPT" || p === "STYLE" || p === "NOSCRIPT" ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach(function (t) {
      var v = t.nodeValue.replace(PHONE_LIKE, function (m) {
        if (!replaceable(m)) return m;
        return m.charAt(0) === "+" ? number.international : number.display;
      });
      if (v !== t.nodeValue) t.nodeValue = v;
    });
    document.querySelectorAll('a[href^="tel:"]').forEach(function (a) {
      if (replaceable(a.getAttribute("href").slice(4))) a.setAttribute("href", "tel:" + number.e164);
    });
    document.querySelectorAll("[data-calltrack-number]").forEach(function (el) {
      el.textContent = number.display;
      if (el.nodeName === "A") el.setAttribute("href", "tel:" + number.e164);
    });
    document.querySelectorAll("[data-calltrack-trackid]").forEach(function (el) {
      el.textContent = trackId || "";
    });
    shownNumber = number;
  }

  function run() {
    var params = new URLSearchParams(location.search);
    post("", {
      clientId: clientId(), page: location.href, referrer: document.referrer || null,
      utmSource: params.get("utm_source"), utmMedium: params.get("utm_medium"),
      utmCampaign: params.get("utm_campaign"), utmTerm: params.get("utm_term"), utmContent: params.get("utm_content")
    }).then(function (s) {
      show(s.number, s.trackId);
      var base = "/" + encodeURIComponent(s.sessionId);
      function beat() {
        if (document.visibilityState !== "visible") return;
        post(base + "/heartbeat").then(function (h) {
          if (digits(h.number.e164) !== digits(shownNumber.e164)) show(h.number, h.trackId);
        }).catch(function () { /* keep what is shown; the next beat retries */ });
      }
      setInterval(beat, s.heartbeatSeconds * 1000);
      document.addEventListener("visibilitychange", beat);
      window.addEventListener("pagehide", function () {
        if (navigator.sendBeacon) navigator.sendBeacon(api + base + "/end", "{}");
      });
    }).catch(function () { /* API unreachable: the default number stays */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
