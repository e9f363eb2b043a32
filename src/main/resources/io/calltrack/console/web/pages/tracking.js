// Tracking setup: a new site, the chosen site's settings (GET/POST/PUT /v1/sites), its channels, its numbers, the
// snippet to embed and the installation check. The owner and admins change everything; a marketer the channels
// and numbers of the sites where they are one (the settings are shown to them, not editable).
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { access } from "../access.js";
import { t, addMessages } from "../i18n.js";
import { Field, useForm, errorText, Outcome, lines, optional, optionalNumber } from "./tracking-form.js";
import { Channels } from "./tracking-channels.js";
import { Numbers } from "./tracking-numbers.js";
import { Snippet, Installation } from "./tracking-install.js";

addMessages({
  en: {
    "tracking.title": "Tracking setup",
    "tracking.newSite": "New site",
    "tracking.newSite.intro": "A site is one website whose visitors see tracked numbers. Give it a name, its time zone and the number its pages show now (the fallback); then add channels and numbers.",
    "tracking.newSite.none": "There are no sites yet: create the first one.",
    "tracking.newSite.create": "Create site",
    "tracking.newSite.cancel": "Cancel",
    "tracking.newSite.created": "Site {name} created.",
    "tracking.settings": "Site settings",
    "tracking.settings.readOnly": "Only the owner or an admin changes a site's settings.",
    "tracking.site.name": "Name",
    "tracking.site.zone": "Time zone",
    "tracking.site.zoneHint": "An IANA name such as Europe/Moscow: reports, schedules and days of this site are in it.",
    "tracking.site.fallback": "Fallback number",
    "tracking.site.fallbackHint": "The number the site's pages show now: visitors see it when no tracked number is free, and the snippet replaces it.",
    "tracking.site.origins": "Allowed origins",
    "tracking.site.originsHint": "The addresses of the site's pages, one a line, e.g. https://shop.example (scheme and host, no path; * allows any). Browsers on other origins are refused.",
    "tracking.site.hold": "Pool number hold (seconds)",
    "tracking.site.holdHint": "How long a pool number stays a visitor's after their page last called in (default 900).",
    "tracking.site.threshold": "Target call from (seconds of talk)",
    "tracking.site.repeat": "Repeat call window (days)",
    "tracking.site.trackId": "Ask the caller for a Track ID when a pool call cannot be matched to one visit",
    "tracking.site.closed": "After-hours destination",
    "tracking.site.closedHint": "Optional: an Asterisk dial string or a SIP URI for calls outside the routing schedule.",
  },
  ru: {
    "tracking.title": "Настройка отслеживания",
    "tracking.newSite": "Новый сайт",
    "tracking.newSite.intro": "Сайт — это один веб-сайт, посетители которого видят отслеживаемые номера. Укажите название, часовой пояс и номер, который сейчас показывают его страницы (резервный); затем добавьте каналы и номера.",
    "tracking.newSite.none": "Сайтов пока нет: создайте первый.",
    "tracking.newSite.create": "Создать сайт",
    "tracking.newSite.cancel": "Отмена",
    "tracking.newSite.created": "Сайт {name} создан.",
    "tracking.settings": "Настройки сайта",
    "tracking.settings.readOnly": "Настройки сайта меняет только владелец или администратор.",
    "tracking.site.name": "Название",
    "tracking.site.zone": "Часовой пояс",
    "tracking.site.zoneHint": "Имя IANA, например Europe/Moscow: в нём отчёты, расписания и дни этого сайта.",
    "tracking.site.fallback": "Резервный номер",
    "tracking.site.fallbackHint": "Номер, который сейчас на страницах сайта: его видят, когда свободного номера нет, и его заменяет скрипт.",
    "tracking.site.origins": "Разрешённые источники (origins)",
    "tracking.site.originsHint": "Адреса страниц сайта, по одному в строке, например https://shop.example (схема и хост, без пути; * — любой). Браузерам с других адресов отказывается.",
    "tracking.site.hold": "Удержание номера из пула (секунды)",
    "tracking.site.holdHint": "Сколько номер из пула остаётся за посетителем после последнего сигнала его страницы (по умолчанию 900).",
    "tracking.site.threshold": "Целевой звонок от (секунд разговора)",
    "tracking.site.repeat": "Окно повторного звонка (дни)",
    "tracking.site.trackId": "Спрашивать у звонящего Track ID, когда звонок на номер из пула не связан с одним визитом",
    "tracking.site.closed": "Куда звонки в нерабочее время",
    "tracking.site.closedHint": "Необязательно: строка набора Asterisk или SIP URI для звонков вне расписания маршрутизации.",
  },
});

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

function zones() {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

/** The form's text values of a site (or a new one's defaults). */
function formOf(site) {
  if (!site) {
    return { name: "", timeZone: browserZone(), fallbackNumber: "", allowedOrigins: "", sessionHoldSeconds: "",
      targetThresholdSeconds: "", repeatWindowDays: "", trackIdOnUnattributed: false, closedHoursDestination: "" };
  }
  return { ...site, allowedOrigins: site.allowedOrigins.join("\n"), closedHoursDestination: site.closedHoursDestination || "" };
}

/** The site as the API takes it: the whole of it (PUT), empty numbers taking their defaults. */
function bodyOf(v) {
  return { name: v.name, timeZone: v.timeZone, fallbackNumber: v.fallbackNumber, allowedOrigins: lines(v.allowedOrigins),
    sessionHoldSeconds: optionalNumber(v.sessionHoldSeconds), targetThresholdSeconds: optionalNumber(v.targetThresholdSeconds),
    repeatWindowDays: optionalNumber(v.repeatWindowDays), trackIdOnUnattributed: Boolean(v.trackIdOnUnattributed),
    closedHoursDestination: optional(v.closedHoursDestination) };
}

/** One form for a new site ({@code prefix} "site-new") and a site's settings ("site"). */
function SiteForm({ prefix, site, editable, submitLabel, onSubmit, onCancel }) {
  const form = useForm(formOf(site));
  const [outcome, setOutcome] = useState(null);
  const [busy, setBusy] = useState(false);
  const id = name => `${prefix}-${name}`;
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    try {
      setOutcome({ note: await onSubmit(bodyOf(form.values)) });
    } catch (err) {
      setOutcome({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="setup" id=${prefix} onSubmit=${submit}>
    <fieldset disabled=${!editable}>
      <${Field} id=${id("name")} label=${t("tracking.site.name")} required maxlength="200" ...${form.bind("name")} />
      <${Field} id=${id("zone")} label=${t("tracking.site.zone")} hint=${t("tracking.site.zoneHint")} required
          list="time-zones" ...${form.bind("timeZone")} />
      <${Field} id=${id("fallback")} label=${t("tracking.site.fallback")} hint=${t("tracking.site.fallbackHint")}
          required type="tel" ...${form.bind("fallbackNumber")} />
      <${Field} id=${id("origins")} as="textarea" rows="3" label=${t("tracking.site.origins")}
          hint=${t("tracking.site.originsHint")} ...${form.bind("allowedOrigins")} />
      <div class="field-row">
        <${Field} id=${id("hold")} type="number" min="0" max="86400" label=${t("tracking.site.hold")}
            hint=${t("tracking.site.holdHint")} ...${form.bind("sessionHoldSeconds")} />
        <${Field} id=${id("threshold")} type="number" min="0" max="3600" label=${t("tracking.site.threshold")}
            ...${form.bind("targetThresholdSeconds")} />
        <${Field} id=${id("repeat")} type="number" min="0" max="3650" label=${t("tracking.site.repeat")}
            ...${form.bind("repeatWindowDays")} />
      </div>
      <div class="field check"><input type="checkbox" id=${id("trackid")} checked=${form.values.trackIdOnUnattributed}
          onChange=${e => form.set("trackIdOnUnattributed", e.target.checked)} />
        <label for=${id("trackid")}>${t("tracking.site.trackId")}</label></div>
      <${Field} id=${id("closed")} label=${t("tracking.site.closed")} hint=${t("tracking.site.closedHint")}
          ...${form.bind("closedHoursDestination")} />
      ${editable && html`<p class="actions"><button type="submit" id=${id("submit")} disabled=${busy}>${submitLabel}</button>
        ${onCancel && html` <button type="button" class="secondary" onClick=${onCancel}>${t("tracking.newSite.cancel")}</button>`}</p>`}
    </fieldset>
    <${Outcome} id=${id("outcome")} outcome=${outcome} />
  </form>`;
}

function NewSite({ first, onCreated, onCancel }) {
  return html`<section class="panel" aria-labelledby="site-new-title">
    <h2 id="site-new-title">${t("tracking.newSite")}</h2>
    <p class="empty">${first ? t("tracking.newSite.none") + " " : ""}${t("tracking.newSite.intro")}</p>
    <${SiteForm} prefix="site-new" editable=${true} submitLabel=${t("tracking.newSite.create")} onCancel=${onCancel}
        onSubmit=${async body => { const site = await api.createSite(body); await onCreated(site);
          return t("tracking.newSite.created", { name: site.name }); }} />
  </section>`;
}

/** A site's setup: its settings, channels (which its numbers name, so loaded here for both), numbers, snippet. */
function SiteSetup({ session, site, reloadSites }) {
  const [channels, setChannels] = useState(null);
  const [error, setError] = useState(null);
  const loadChannels = () => api.channels(site.id).then(setChannels, setError);
  useEffect(() => { loadChannels(); }, [site.id]);
  const mayManage = access.managesSites(session);
  const tracks = access.changesTracking(session, site.id);
  return html`
    <section class="panel" aria-labelledby="site-settings-title">
      <h2 id="site-settings-title">${t("tracking.settings")}</h2>
      ${!mayManage && html`<p class="note">${t("tracking.settings.readOnly")}</p>`}
      <${SiteForm} key=${site.id} prefix="site" site=${site} editable=${mayManage} submitLabel=${t("common.save")}
          onSubmit=${async body => { await api.saveSite(site.id, body); await reloadSites(); return t("common.saved"); }} />
    </section>
    ${error && html`<p class="error" role="alert">${errorText(error)}</p>`}
    ${channels && html`
      <${Channels} site=${site} channels=${channels} editable=${tracks} onChanged=${loadChannels} />
      <${Numbers} site=${site} channels=${channels} editable=${tracks} />`}
    <${Snippet} site=${site} />
    <${Installation} site=${site} />`;
}

export default function Tracking({ session, site, reloadSites, go }) {
  const [adding, setAdding] = useState(false);
  const mayCreate = access.managesSites(session);
  const created = async s => { setAdding(false); await reloadSites(); go({ site: s.id }); };
  return html`<section class="tracking">
    <h1>${t("tracking.title")}${site ? ": " + site.name : ""}</h1>
    <datalist id="time-zones">${zones().map(z => html`<option value=${z} />`)}</datalist>
    ${!site && !mayCreate && html`<p class="empty">${t("sites.none")}</p>`}
    ${site && mayCreate && !adding && html`<p><button type="button" id="site-new-open" onClick=${() => setAdding(true)}>
      ${t("tracking.newSite")}</button></p>`}
    ${mayCreate && (adding || !site) && html`<${NewSite} first=${!site} onCreated=${created}
        onCancel=${site ? () => setAdding(false) : null} />`}
    ${site && html`<${SiteSetup} key=${site.id} session=${session} site=${site} reloadSites=${reloadSites} />`}
  </section>`;
}
