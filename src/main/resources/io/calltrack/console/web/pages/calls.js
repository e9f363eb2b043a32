// Call log: the calls of the granted sites (GET /v1/calls), newest first, filtered, a page at a time by the
// API's nextCursor, and the same filters as a CSV export.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { access } from "../access.js";
import { t, addMessages, formatDateTime, formatSeconds } from "../i18n.js";
import { browserMidnight as midnight } from "../period.js";

addMessages({
  en: {
    "calls.said": "Words said",
    "calls.saidHint": "in the transcript: any form of a word; \"exact phrase\", or, -without",
    "calls.keyword": "Keyword",
    "calls.history": "Caller history",
    "calls.firstTime": "first-time",
    "calls.repeat": "repeat",
    "calls.hasRecording": "Recording",
    "calls.sort": "Order",
    "calls.sort.newest": "newest first",
    "calls.sort.oldest": "oldest first",
    "calls.sort.longest": "longest talk first",
  },
  ru: {
    "calls.said": "Слова в разговоре",
    "calls.saidHint": "в расшифровке: любая форма слова; \"точная фраза\", or, -без",
    "calls.keyword": "Ключевое слово",
    "calls.history": "История звонящего",
    "calls.firstTime": "впервые",
    "calls.repeat": "повторно",
    "calls.hasRecording": "Запись",
    "calls.sort": "Порядок",
    "calls.sort.newest": "сначала новые",
    "calls.sort.oldest": "сначала старые",
    "calls.sort.longest": "сначала долгие разговоры",
  },
});

const CLASSES = ["target", "non_target", "unanswered"];
const YES_NO = () => [["true", t("common.yes")], ["false", t("common.no")]];

/**
 * The filter bar, one line per filter (and the order): its query name, its label, how it is entered, (when the
 * API's parameter differs from what is typed) how it becomes the query, and (a select's) what no choice means.
 */
const FILTERS = [
  { name: "site", label: "calls.site", input: "select", options: ctx => ctx.sites.map(s => [String(s.id), s.name]) },
  // a transcript is as personal as the recording: searched only by those who may listen on some site
  { name: "said", label: "calls.said", input: "search", hint: "calls.saidHint",
    shown: ctx => ctx.sites.some(s => access.hearsRecordings(ctx.session, s.id)) },
  { name: "from", label: "common.from", input: "date", query: v => ({ from: midnight(v) }) },
  { name: "to", label: "common.to", input: "date", query: v => ({ to: midnight(v, 1) }) },
  { name: "class", label: "calls.class", input: "select", options: () => CLASSES.map(c => [c, t("class." + c)]) },
  { name: "channel", label: "calls.channel", input: "number" },
  { name: "campaign", label: "calls.campaign", input: "text" },
  { name: "keyword", label: "calls.keyword", input: "text" },
  { name: "number", label: "calls.number", input: "tel" },
  { name: "manager", label: "calls.manager", input: "number" },
  // digits anywhere in the number: people remember "the one ending 4567", and a whole number matches too
  { name: "caller", label: "calls.caller", input: "tel", query: v => ({ callerContains: v }) },
  { name: "history", label: "calls.history", input: "select",
    options: () => [["first", t("calls.firstTime")], ["repeat", t("calls.repeat")]],
    query: v => (v === "first" ? { firstTime: "true" } : { repeat: "true" }) },
  { name: "hasRecording", label: "calls.hasRecording", input: "select", options: YES_NO },
  { name: "sort", label: "calls.sort", input: "select", any: "calls.sort.newest",
    options: () => ["oldest", "longest"].map(o => [o, t("calls.sort." + o)]) },
];

function toQuery(values) {
  return FILTERS.reduce((q, f) => {
    const v = values[f.name];
    if (v === undefined || v === "") return q;
    return { ...q, ...(f.query ? f.query(v) : { [f.name]: v }) };
  }, {});
}

function FilterBar({ values, ctx, onApply }) {
  const [draft, setDraft] = useState(values);
  const set = (name, v) => setDraft({ ...draft, [name]: v });
  return html`<form class="filters" id="call-filters" onSubmit=${e => { e.preventDefault(); onApply(draft); }}>
    ${FILTERS.filter(f => !f.shown || f.shown(ctx)).map(f => html`<label class=${"filter-" + f.name}>${t(f.label)}
      ${f.input === "select"
        ? html`<select name=${f.name} value=${draft[f.name] || ""} onChange=${e => set(f.name, e.target.value)}>
            <option value="">${t(f.any || "calls.any")}</option>
            ${f.options(ctx).map(([v, label]) => html`<option value=${v}>${label}</option>`)}</select>`
        : html`<input name=${f.name} type=${f.input} value=${draft[f.name] || ""} title=${f.hint && t(f.hint)}
            onInput=${e => set(f.name, e.target.value)} />`}</label>`)}
    <button type="submit">${t("common.apply")}</button>
  </form>`;
}

function source(call) {
  const last = call.visit && call.visit.touches && call.visit.touches.last;
  if (!last) return t("common.none");
  return [last.channelName, last.utm && last.utm.campaign].filter(Boolean).join(" / ") || t("common.none");
}

export default function Calls({ session, sites, params, go }) {
  const [items, setItems] = useState([]);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(true);
  const values = Object.fromEntries(FILTERS.map(f => [f.name, params[f.name] || ""]));
  const query = toQuery(values);
  const key = JSON.stringify(query);
  const zone = id => (sites.find(s => s.id === id) || {}).timeZone;

  async function load(cursor) {
    setLoading(true);
    try {
      const page = await api.calls({ ...query, cursor });
      setItems(old => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => { load(null); }, [key]);

  const csv = api.callsCsvUrl(query);
  return html`<section class="calls">
    <h1>${t("calls.title")}</h1>
    <${FilterBar} values=${values} ctx=${{ session, sites }} onApply=${v => go(v)} />
    <p><a id="calls-csv" href=${csv} download="calls.csv">${t("calls.csv")}</a></p>
    ${error && html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`}
    ${!loading && !error && items.length === 0 && html`<p class="empty">${t("calls.empty")}</p>`}
    ${items.length > 0 && html`<div class="scroll"><table class="data" id="call-log">
      <thead><tr><th>${t("calls.time")}</th><th>${t("calls.number")}</th><th>${t("calls.caller")}</th>
        <th>${t("calls.source")}</th><th>${t("calls.class")}</th><th>${t("calls.duration")}</th></tr></thead>
      <tbody>${items.map(c => {
        const cls = c.outcome.classification && c.outcome.classification.callClass;
        return html`<tr data-call=${c.id}>
          <td><a href=${"#/calls/" + c.id + (c.siteId ? "?site=" + c.siteId : "")}>${formatDateTime(c.startedAt, zone(c.siteId))}</a></td>
          <td data-label=${t("calls.number")}>${c.calledNumber}</td>
          <td data-label=${t("calls.caller")}>${c.callerNumber || t("calls.anonymous")}</td>
          <td data-label=${t("calls.source")}>${source(c)}</td>
          <td data-label=${t("calls.class")} class=${"class " + (cls || "")}>${cls ? t("class." + cls) : t("common.none")}</td>
          <td data-label=${t("calls.duration")} class="num">${formatSeconds(c.outcome.talkSeconds)}</td></tr>`;
      })}</tbody></table></div>`}
    ${next && html`<button type="button" id="calls-more" disabled=${loading} onClick=${() => load(next)}>
      ${t("calls.more")}</button>`}
  </section>`;
}
