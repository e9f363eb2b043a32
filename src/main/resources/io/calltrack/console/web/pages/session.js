// One visitor session (GET /v1/sessions/{id}), reached from a call's page: when the visit was, where it landed and
// came from, the number it was shown, and the same visitor's calls on the site, each a link to its call page.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages, formatDateTime } from "../i18n.js";
import { Row, utmLine } from "../facts.js";

addMessages({
  en: {
    "session.title": "Visitor session",
    "session.visit": "The visit",
    "session.started": "Started",
    "session.lastSeen": "Last seen",
    "session.ended": "Page closed",
    "session.landing": "Landing page",
    "session.current": "Current page",
    "session.referrer": "Referrer",
    "session.channel": "Channel",
    "session.number": "Number shown",
    "session.noNumber": "none free: the fallback number was shown",
    "session.bot": "Bot",
    "session.visitor": "Visitor",
    "session.calls": "Calls of this visitor",
    "session.calls.none": "This visitor has no calls on this site.",
    "session.call": "Call {id}",
    "session.callColumn": "Call",
    "session.class": "Class",
    "session.notFound": "There is no such visitor session.",
  },
  ru: {
    "session.title": "Сессия посетителя",
    "session.visit": "Визит",
    "session.started": "Начало",
    "session.lastSeen": "Последняя активность",
    "session.ended": "Страница закрыта",
    "session.landing": "Страница входа",
    "session.current": "Текущая страница",
    "session.referrer": "Откуда пришёл",
    "session.channel": "Канал",
    "session.number": "Показанный номер",
    "session.noNumber": "свободных не было: показан запасной номер",
    "session.bot": "Бот",
    "session.visitor": "Посетитель",
    "session.calls": "Звонки этого посетителя",
    "session.calls.none": "У этого посетителя нет звонков на этом сайте.",
    "session.call": "Звонок {id}",
    "session.callColumn": "Звонок",
    "session.class": "Класс",
    "session.notFound": "Такой сессии посетителя нет.",
  },
});

export default function SessionPage({ sites, id }) {
  const [visit, setVisit] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { api.visitorSession(id).then(setVisit, setError); }, [id]);

  if (error) {
    return html`<p class="error" role="alert">${error.status === 404 ? t("session.notFound")
        : error.status === 403 ? t("common.forbidden") : t("common.error", { message: error.message })}</p>`;
  }
  if (!visit) return html`<p class="loading">${t("common.loading")}</p>`;
  const site = sites.find(s => s.id === visit.siteId);
  const zone = site && site.timeZone;
  const none = t("common.none");
  const utm = utmLine(visit.utm);
  const number = visit.noNumber ? t("session.noNumber") : visit.number || none;

  return html`<section class="visitor-session">
    <h1>${t("session.title")}</h1>
    <table class="facts" id="session-visit"><caption>${t("session.visit")}${zone ? ` (${zone})` : ""}</caption><tbody>
      <${Row} label=${t("session.started")}>${formatDateTime(visit.startedAt, zone)}<//>
      <${Row} label=${t("session.lastSeen")}>${formatDateTime(visit.lastSeenAt, zone)}<//>
      <${Row} label=${t("session.ended")}>${formatDateTime(visit.endedAt, zone)}<//>
      <${Row} label=${t("session.landing")}><span id="session-landing">${visit.firstPage || none}</span><//>
      <${Row} label=${t("session.current")}>${visit.currentPage || none}<//>
      <${Row} label=${t("session.referrer")}>${visit.referrer || none}<//>
      <${Row} label=${t("call.utm")}>${utm || none}<//>
      <${Row} label=${t("session.channel")}>${visit.channelName || none}<//>
      <${Row} label=${t("session.number")}>${number}<//>
      <${Row} label=${t("session.bot")}>${t(visit.bot ? "common.yes" : "common.no")}<//>
      <${Row} label=${t("session.visitor")}><code>${visit.clientId}</code><//>
    </tbody></table>
    <h2>${t("session.calls")}</h2>
    ${visit.calls.length === 0 ? html`<p class="empty">${t("session.calls.none")}</p>` : html`<table class="data" id="session-calls">
      <thead><tr><th scope="col">${t("session.callColumn")}</th><th scope="col">${t("calls.time")}</th>
        <th scope="col">${t("session.class")}</th></tr></thead>
      <tbody>${visit.calls.map(c => html`<tr data-call=${c.id}>
        <td><a href=${"#/calls/" + c.id + "?site=" + visit.siteId}>${t("session.call", { id: c.id })}</a></td>
        <td>${formatDateTime(c.startedAt, zone)}</td>
        <td>${c.class ? t("class." + c.class) : none}</td></tr>`)}</tbody></table>`}
  </section>`;
}
