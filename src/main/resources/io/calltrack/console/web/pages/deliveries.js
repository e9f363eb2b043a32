// Deliveries: where a site's calls are sent (webhook, Yandex Metrica, GA4), how many stand in each state, the recent
// deliveries and the dead letters with their re-sending. Stored secrets come back masked; the form says only that one
// is set and sends a secret only when a new one is typed (PATCH keeps a secret it does not name).
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages, formatDateTime } from "../i18n.js";
import { access } from "../access.js";
import { periodOf } from "../period.js";

addMessages({
  en: {
    "deliveries.title": "Deliveries",
    "deliveries.settings": "Where calls are sent",
    "deliveries.webhookUrl": "Webhook URL",
    "deliveries.webhookSecret": "Webhook signing secret",
    "deliveries.metricaUrl": "Yandex Metrica upload URL",
    "deliveries.metricaToken": "Yandex Metrica token",
    "deliveries.ga4Url": "GA4 Measurement Protocol URL",
    "deliveries.ga4MeasurementId": "GA4 measurement ID",
    "deliveries.ga4ApiSecret": "GA4 API secret",
    "deliveries.callTrackerUrl": "This server's public URL (for links to calls)",
    "deliveries.secretSet": "set — type a new one to replace it",
    "deliveries.secretNotSet": "not set",
    "deliveries.save": "Save settings",
    "deliveries.saved": "Settings saved.",
    "deliveries.status": "Status",
    "deliveries.target": "Target",
    "deliveries.configured": "Configured",
    "deliveries.yes": "yes",
    "deliveries.no": "no",
    "deliveries.pending": "Pending",
    "deliveries.delivered": "Delivered",
    "deliveries.dead": "Dead",
    "deliveries.notMatchable": "Not matchable",
    "deliveries.recent": "Recent deliveries",
    "deliveries.none": "No deliveries yet. Set a target above; each completed call is then sent to it.",
    "deliveries.more": "Show more",
    "deliveries.call": "Call",
    "deliveries.when": "Created",
    "deliveries.metricaFile": "Metrica offline conversions: calls file",
    "deliveries.metricaFileHint": "Completed calls of the period, for a manual upload in Yandex Metrica (upload it with the same match type).",
    "deliveries.metricaIdType": "Match calls by",
    "deliveries.metricaIdType.CLIENT_ID": "Metrica ClientId",
    "deliveries.metricaIdType.YCLID": "yclid only",
    "deliveries.metricaDownload": "Download the calls file",
    "deliveries.state": "State",
    "deliveries.attempts": "Attempts",
    "deliveries.error": "Last error",
    "deliveries.deadLetters": "Dead letters",
    "deliveries.noDeadLetters": "No dead letters: every delivery got through or is still being tried.",
    "deliveries.resend": "Re-send",
    "deliveries.resent": "Delivery {id} is queued again.",
    "deliveries.readOnly": "You may read these settings; changing them and re-sending is for owners, admins and the site's marketers.",
    "deliveries.state.pending": "pending",
    "deliveries.state.delivered": "delivered",
    "deliveries.state.dead": "dead",
    "deliveries.state.not_matchable": "not matchable",
  },
  ru: {
    "deliveries.title": "Доставка",
    "deliveries.settings": "Куда отправляются звонки",
    "deliveries.webhookUrl": "URL вебхука",
    "deliveries.webhookSecret": "Секрет подписи вебхука",
    "deliveries.metricaUrl": "URL загрузки в Яндекс Метрику",
    "deliveries.metricaToken": "Токен Яндекс Метрики",
    "deliveries.ga4Url": "URL GA4 Measurement Protocol",
    "deliveries.ga4MeasurementId": "Идентификатор потока GA4",
    "deliveries.ga4ApiSecret": "API-секрет GA4",
    "deliveries.callTrackerUrl": "Публичный адрес этого сервера (для ссылок на звонки)",
    "deliveries.secretSet": "задан — введите новый, чтобы заменить",
    "deliveries.secretNotSet": "не задан",
    "deliveries.save": "Сохранить настройки",
    "deliveries.saved": "Настройки сохранены.",
    "deliveries.status": "Состояние",
    "deliveries.target": "Получатель",
    "deliveries.configured": "Настроен",
    "deliveries.yes": "да",
    "deliveries.no": "нет",
    "deliveries.pending": "В очереди",
    "deliveries.delivered": "Доставлено",
    "deliveries.dead": "Не доставлено",
    "deliveries.notMatchable": "Не сопоставимо",
    "deliveries.recent": "Последние доставки",
    "deliveries.none": "Доставок ещё нет. Укажите получателя выше: каждый завершённый звонок будет отправлен ему.",
    "deliveries.more": "Показать ещё",
    "deliveries.call": "Звонок",
    "deliveries.when": "Создана",
    "deliveries.metricaFile": "Офлайн-конверсии Метрики: файл звонков",
    "deliveries.metricaFileHint": "Завершённые звонки периода для ручной загрузки в Яндекс Метрику (загружайте с тем же типом сопоставления).",
    "deliveries.metricaIdType": "Сопоставлять звонки по",
    "deliveries.metricaIdType.CLIENT_ID": "ClientId Метрики",
    "deliveries.metricaIdType.YCLID": "только yclid",
    "deliveries.metricaDownload": "Скачать файл звонков",
    "deliveries.state": "Состояние",
    "deliveries.attempts": "Попыток",
    "deliveries.error": "Последняя ошибка",
    "deliveries.deadLetters": "Недоставленные",
    "deliveries.noDeadLetters": "Недоставленных нет: все доставки прошли или ещё повторяются.",
    "deliveries.resend": "Отправить снова",
    "deliveries.resent": "Доставка {id} снова в очереди.",
    "deliveries.readOnly": "Эти настройки можно только смотреть; менять их и отправлять снова могут владелец, администраторы и маркетологи сайта.",
    "deliveries.state.pending": "в очереди",
    "deliveries.state.delivered": "доставлено",
    "deliveries.state.dead": "не доставлено",
    "deliveries.state.not_matchable": "не сопоставимо",
  },
});

const PLAIN = ["webhookUrl", "metricaUrl", "ga4Url", "ga4MeasurementId", "callTrackerUrl"];
const SECRETS = ["webhookSecret", "metricaToken", "ga4ApiSecret"];
const FIELDS = ["webhookUrl", "webhookSecret", "metricaUrl", "metricaToken", "ga4Url", "ga4MeasurementId",
  "ga4ApiSecret", "callTrackerUrl"];
const COUNTS = ["pending", "delivered", "dead", "notMatchable"];

function Settings({ site, writes, onSaved }) {
  const [stored, setStored] = useState(null);
  const [draft, setDraft] = useState({});
  const [message, setMessage] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const show = s => {
    setStored(s);
    setDraft(Object.fromEntries(FIELDS.map(f => [f, SECRETS.includes(f) ? "" : s[f] || ""])));
  };
  useEffect(() => { api.deliverySettings(site.id).then(show, setError); }, [site.id]);

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    try {
      const patch = Object.fromEntries(PLAIN.map(f => [f, draft[f].trim() || null]));
      for (const f of SECRETS) if (draft[f]) patch[f] = draft[f];
      show(await api.patchDeliverySettings(site.id, patch));
      setMessage(t("deliveries.saved"));
      setError(null);
      onSaved();
    } catch (err) {
      setError(err);
      setMessage(null);
    } finally {
      setBusy(false);
    }
  }

  if (!stored) return error ? html`<p class="error" role="alert">${error.message}</p>` : null;
  const field = f => SECRETS.includes(f)
    ? html`<label>${t("deliveries." + f)}
        <input id=${"delivery-" + f} type="password" autocomplete="new-password" disabled=${!writes}
          value=${draft[f]} onInput=${e => setDraft({ ...draft, [f]: e.target.value })} />
        <small class="secret-state" id=${"delivery-" + f + "-state"}>
          ${stored[f] ? t("deliveries.secretSet") : t("deliveries.secretNotSet")}</small></label>`
    : html`<label>${t("deliveries." + f)}
        <input id=${"delivery-" + f} type=${f === "ga4MeasurementId" ? "text" : "url"} disabled=${!writes}
          value=${draft[f]} onInput=${e => setDraft({ ...draft, [f]: e.target.value })} /></label>`;
  return html`<section><h2>${t("deliveries.settings")}</h2>
    <form class="filters" id="delivery-settings" onSubmit=${submit}>
      ${FIELDS.map(field)}
      ${writes && html`<button type="submit" id="delivery-save" disabled=${busy}>${t("deliveries.save")}</button>`}
    </form>
    ${message && html`<p class="notice" role="status" id="delivery-message">${message}</p>`}
    ${error && html`<p class="error" role="alert" id="delivery-error">${error.message}</p>`}
  </section>`;
}

function Status({ status }) {
  if (!status) return null;
  return html`<section><h2>${t("deliveries.status")}</h2>
    <table id="delivery-status"><thead><tr><th>${t("deliveries.target")}</th><th>${t("deliveries.configured")}</th>
      ${COUNTS.map(c => html`<th>${t("deliveries." + c)}</th>`)}</tr></thead>
    <tbody>${Object.entries(status.targets).map(([name, s]) => html`<tr data-target=${name}><td>${name}</td>
      <td>${s.configured ? t("deliveries.yes") : t("deliveries.no")}</td>
      ${COUNTS.map(c => html`<td class=${"count-" + c}>${s[c]}</td>`)}</tr>`)}</tbody></table></section>`;
}

/** A link to the Metrica calls file (GET /v1/sites/{id}/exports/metrica-calls) of the period and match type chosen. */
function MetricaFile({ site, params }) {
  const period = periodOf(params, site.timeZone);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [idType, setIdType] = useState("CLIENT_ID");
  return html`<section><h2>${t("deliveries.metricaFile")}</h2>
    <p class="hint">${t("deliveries.metricaFileHint")}</p>
    <div class="filters">
      <label>${t("common.from")} <input type="date" id="metrica-from" value=${from} max=${to}
          onInput=${e => setFrom(e.target.value)} /></label>
      <label>${t("common.to")} <input type="date" id="metrica-to" value=${to} min=${from}
          onInput=${e => setTo(e.target.value)} /></label>
      <label>${t("deliveries.metricaIdType")} <select id="metrica-id-type" value=${idType}
          onChange=${e => setIdType(e.target.value)}>
        ${["CLIENT_ID", "YCLID"].map(v => html`<option value=${v}>${t("deliveries.metricaIdType." + v)}</option>`)}
      </select></label>
      <a id="metrica-file" class="button" download
          href=${api.metricaCallsUrl(site.id, { from, to, client_id_type: idType })}>${t("deliveries.metricaDownload")}</a>
    </div></section>`;
}

function Recent({ site, items, nextCursor, onMore }) {
  return html`<section><h2>${t("deliveries.recent")}</h2>
    ${items.length === 0 ? html`<p class="empty" id="deliveries-none">${t("deliveries.none")}</p>`
      : html`<table id="deliveries"><thead><tr><th>${t("deliveries.when")}</th><th>${t("deliveries.target")}</th>
          <th>${t("deliveries.call")}</th><th>${t("deliveries.state")}</th><th>${t("deliveries.attempts")}</th>
          <th>${t("deliveries.error")}</th></tr></thead>
        <tbody>${items.map(d => html`<tr data-id=${d.id}><td>${formatDateTime(d.createdAt, site.timeZone)}</td>
          <td>${d.target} ${d.receiver ? html`<small>${d.receiver}</small>` : ""}</td>
          <td>${d.callId && html`<a href=${"#/calls/" + d.callId + "?site=" + site.id}>${d.callId}</a>`}</td>
          <td class="state">${t("deliveries.state." + d.status)}</td><td>${d.attempts}</td>
          <td>${d.lastError || ""}</td></tr>`)}</tbody></table>`}
    ${nextCursor && html`<button type="button" id="deliveries-more" onClick=${onMore}>${t("deliveries.more")}</button>`}
  </section>`;
}

function DeadLetters({ site, letters, writes, onResend }) {
  return html`<section><h2>${t("deliveries.deadLetters")}</h2>
    ${letters.length === 0 ? html`<p class="empty" id="dead-letters-none">${t("deliveries.noDeadLetters")}</p>`
      : html`<table id="dead-letters"><thead><tr><th>${t("deliveries.when")}</th><th>${t("deliveries.target")}</th>
          <th>${t("deliveries.call")}</th><th>${t("deliveries.attempts")}</th><th>${t("deliveries.error")}</th>
          ${writes && html`<th></th>`}</tr></thead>
        <tbody>${letters.map(j => html`<tr data-id=${j.id}><td>${formatDateTime(j.createdAt, site.timeZone)}</td>
          <td>${j.kind}</td><td>${j.callId}</td><td>${j.attempts}</td><td class="error-text">${j.lastError}</td>
          ${writes && html`<td><button type="button" class="resend" onClick=${() => onResend(j.id)}>
            ${t("deliveries.resend")}</button></td>`}</tr>`)}</tbody></table>`}
  </section>`;
}

export default function Deliveries({ session, site, params }) {
  const writes = access.changesDeliveries(session, site.id);
  const [status, setStatus] = useState(null);
  const [recent, setRecent] = useState({ items: [], nextCursor: null });
  const [letters, setLetters] = useState([]);
  const [message, setMessage] = useState(null);
  const [error, setError] = useState(null);

  const reload = () => Promise.all([api.deliveryStatus(site.id), api.deliveries(site.id, { limit: 20 }),
    api.deadLetters(site.id)]).then(([s, r, d]) => {
    setStatus(s);
    setRecent(r);
    setLetters(d.deadLetters);
  }, setError);
  useEffect(() => { reload(); }, [site.id]);

  const more = () => api.deliveries(site.id, { limit: 20, cursor: recent.nextCursor })
    .then(r => setRecent({ items: [...recent.items, ...r.items], nextCursor: r.nextCursor }), setError);
  async function resend(id) {
    try {
      await api.resend(id);
      setMessage(t("deliveries.resent", { id }));
      setError(null);
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  return html`<h1>${t("deliveries.title")}</h1>
    ${!writes && html`<p class="notice" id="deliveries-read-only">${t("deliveries.readOnly")}</p>`}
    ${message && html`<p class="notice" role="status" id="deliveries-message">${message}</p>`}
    ${error && html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`}
    <${Settings} site=${site} writes=${writes} onSaved=${reload} />
    <${Status} status=${status} />
    <${DeadLetters} site=${site} letters=${letters} writes=${writes} onResend=${resend} />
    ${access.readsDeliveries(session, site.id) && html`<${MetricaFile} site=${site} params=${params} />`}
    <${Recent} site=${site} items=${recent.items} nextCursor=${recent.nextCursor} onMore=${more} />`;
}
