// The snippet a site embeds (its script tag with the site's public key, served by this calltrack) and the
// installation check (GET /v1/sites/{id}/installation): has it called in during the last 24 h, from where.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages, formatNumber, formatDateTime } from "../i18n.js";
import { errorText } from "./tracking-form.js";

addMessages({
  en: {
    "tracking.snippet": "Snippet",
    "tracking.snippet.intro": "Put this line on every page of the site (in <head> or anywhere in the page). It replaces the fallback number {fallback} with the visitor's tracked number.",
    "tracking.snippet.copy": "Copy the code",
    "tracking.snippet.copied": "Copied.",
    "tracking.snippet.selected": "Selected: press Ctrl+C (⌘C) to copy.",
    "tracking.install": "Installation check",
    "tracking.install.refresh": "Check again",
    "tracking.install.yes": "Installed: the snippet called in from an allowed origin {sessions} times in the last 24 hours, last at {last}.",
    "tracking.install.no": "Not installed yet: the snippet has not called in from an allowed origin in the last 24 hours. Put the code above on the site's pages, open one in a browser, then check again.",
    "tracking.install.noOrigins": "The site allows no origins, so browsers are refused: add the address of its pages (e.g. https://shop.example) to the allowed origins in the settings.",
    "tracking.install.pages": "Pages it called in from",
    "tracking.install.origins": "Origins",
    "tracking.install.visits": "Visits",
    "tracking.install.lastSeen": "Last seen ({zone})",
    "tracking.install.page": "Page",
    "tracking.install.origin": "Origin",
    "tracking.install.notAllowed": "not allowed any more",
  },
  ru: {
    "tracking.snippet": "Код для сайта",
    "tracking.snippet.intro": "Поставьте эту строку на каждую страницу сайта (в <head> или в любое место страницы). Она заменяет резервный номер {fallback} номером, выданным посетителю.",
    "tracking.snippet.copy": "Скопировать код",
    "tracking.snippet.copied": "Скопировано.",
    "tracking.snippet.selected": "Код выделен: нажмите Ctrl+C (⌘C), чтобы скопировать.",
    "tracking.install": "Проверка установки",
    "tracking.install.refresh": "Проверить снова",
    "tracking.install.yes": "Установлен: за последние 24 часа скрипт обращался с разрешённого адреса {sessions} раз, последний раз {last}.",
    "tracking.install.no": "Пока не установлен: за последние 24 часа скрипт не обращался с разрешённого адреса. Поставьте код выше на страницы сайта, откройте одну из них в браузере и проверьте снова.",
    "tracking.install.noOrigins": "У сайта нет разрешённых адресов, поэтому браузерам отказывается: добавьте в настройках адрес его страниц (например https://shop.example).",
    "tracking.install.pages": "Страницы, с которых он обращался",
    "tracking.install.origins": "Адреса (origins)",
    "tracking.install.visits": "Визитов",
    "tracking.install.lastSeen": "Последний раз ({zone})",
    "tracking.install.page": "Страница",
    "tracking.install.origin": "Адрес",
    "tracking.install.notAllowed": "больше не разрешён",
  },
});

/** The script tag for the site: this calltrack's address (as the browser reached it) and the site's key. */
function snippetCode(site) {
  return `<script src="${window.location.origin}/snippet.js?site=${site.publicKey}" async></script>`;
}

export function Snippet({ site }) {
  const [note, setNote] = useState(null);
  const code = snippetCode(site);
  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setNote(t("tracking.snippet.copied"));
    } catch {
      // no clipboard for this page (not a secure context, permission refused): select it for the user's own copy
      const range = document.createRange();
      range.selectNodeContents(document.getElementById("snippet"));
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      setNote(t("tracking.snippet.selected"));
    }
  }
  return html`<section class="panel" aria-labelledby="snippet-title">
    <h2 id="snippet-title">${t("tracking.snippet")}</h2>
    <p class="note">${t("tracking.snippet.intro", { fallback: site.fallbackNumber })}</p>
    <pre class="code"><code id="snippet">${code}</code></pre>
    <p class="actions"><button type="button" id="snippet-copy" onClick=${copy}>${t("tracking.snippet.copy")}</button>
      ${note && html` <span class="note" role="status" id="snippet-status">${note}</span>`}</p>
  </section>`;
}

function Seen({ id, caption, head, rows, zone }) {
  return html`<table class="data" id=${id}><caption>${caption}</caption>
    <thead><tr><th>${head}</th><th>${t("tracking.install.visits")}</th>
      <th>${t("tracking.install.lastSeen", { zone })}</th></tr></thead>
    <tbody>${rows.map(r => html`<tr><td>${r.value}${r.warning && html` <strong class="error">${r.warning}</strong>`}</td>
      <td class="num">${formatNumber(r.sessions)}</td><td>${formatDateTime(r.lastSeenAt, zone)}</td></tr>`)}</tbody>
  </table>`;
}

export function Installation({ site }) {
  const [check, setCheck] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api.installation(site.id).then(c => { setCheck(c); setError(null); }, setError);
  useEffect(() => { load(); }, [site.id, site.allowedOrigins.join(" ")]);
  const zone = site.timeZone;
  return html`<section class="panel" aria-labelledby="install-title">
    <h2 id="install-title">${t("tracking.install")}</h2>
    ${error && html`<p class="error" role="alert">${errorText(error)}</p>`}
    ${!check && !error && html`<p class="loading">${t("common.loading")}</p>`}
    ${check && html`
      <p id="install-status" class=${check.installed ? "ok" : "empty"} role="status">${check.installed
        ? t("tracking.install.yes", { sessions: formatNumber(check.sessions), last: formatDateTime(check.lastSeenAt, zone) })
        : t("tracking.install.no")}</p>
      ${check.allowedOrigins.length === 0 && html`<p class="error" id="install-no-origins">${t("tracking.install.noOrigins")}</p>`}
      ${check.pages.length > 0 && html`<${Seen} id="install-pages" caption=${t("tracking.install.pages")}
          head=${t("tracking.install.page")} rows=${check.pages} zone=${zone} />`}
      ${check.origins.length > 0 && html`<${Seen} id="install-origins" caption=${t("tracking.install.origins")}
          head=${t("tracking.install.origin")} zone=${zone} rows=${check.origins.map(o => ({ value: o.origin,
            sessions: o.sessions, lastSeenAt: o.lastSeenAt, warning: o.allowed ? null : t("tracking.install.notAllowed") }))} />`}`}
    <p class="actions"><button type="button" class="secondary" id="install-refresh" onClick=${load}>
      ${t("tracking.install.refresh")}</button></p>
  </section>`;
}
