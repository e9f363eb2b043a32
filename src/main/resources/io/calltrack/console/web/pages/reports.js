// Reports: a site's marketing report (GET /v1/sites/{id}/reports) by grouping, period and touch, as a table with
// totals and a chart, its CSV export, and the import of ad costs from a CSV file (POST /v1/sites/{id}/costs):
// first a dry run that shows every row and what is wrong with each, then the rows that passed are stored.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages, formatNumber, formatPercent, formatMoney } from "../i18n.js";
import { BarChart } from "../chart.js";
import { periodOf } from "../period.js";
import { access } from "../access.js";

addMessages({
  en: {
    "reports.title": "Reports",
    "reports.group": "Group by",
    "reports.group.channel": "Channel",
    "reports.group.campaign": "Campaign",
    "reports.group.keyword": "Keyword",
    "reports.group.landing_page": "Landing page",
    "reports.group.number": "Tracked number",
    "reports.period": "Period",
    "reports.period.day": "Day",
    "reports.period.week": "Week",
    "reports.period.month": "Month",
    "reports.period.total": "Whole range",
    "reports.touch": "Credit to",
    "reports.touch.last": "Last touch",
    "reports.touch.first": "First touch",
    "reports.when": "Period start",
    "reports.row": "Row",
    "reports.sessions": "Visits",
    "reports.calls": "Calls",
    "reports.target": "Target calls",
    "reports.conversion": "Conversion",
    "reports.cost": "Cost",
    "reports.costPerCall": "Cost per call",
    "reports.costPerTarget": "Cost per target call",
    "reports.revenue": "Revenue",
    "reports.roi": "ROI",
    "reports.total": "Total",
    "reports.csv": "Export CSV",
    "reports.empty": "No visits or calls in this period. Pick a longer period, or check that the tracking snippet is installed.",
    "reports.costs": "Import ad costs",
    "reports.costs.help": "A CSV file with the header day,channel,campaign,amount (campaign may be empty: the whole channel). Days are the site's calendar days; a re-imported day replaces its amount.",
    "reports.costs.file": "Cost file (CSV)",
    "reports.costs.preview": "Check the file",
    "reports.costs.commit": "Import {count} good rows",
    "reports.costs.status": "Check",
    "reports.costs.ok": "ok",
    "reports.costs.summary": "{good} rows can be imported, {bad} have errors and will be left out.",
    "reports.costs.imported": "{count} cost rows imported.",
    "reports.costs.none": "Costs are imported by marketers of the site.",
    "reports.day": "Day",
    "reports.channel": "Channel",
    "reports.campaign": "Campaign",
    "reports.amount": "Amount",
  },
  ru: {
    "reports.title": "Отчёты",
    "reports.group": "Группировка",
    "reports.group.channel": "Канал",
    "reports.group.campaign": "Кампания",
    "reports.group.keyword": "Ключевое слово",
    "reports.group.landing_page": "Страница входа",
    "reports.group.number": "Номер отслеживания",
    "reports.period": "Период",
    "reports.period.day": "День",
    "reports.period.week": "Неделя",
    "reports.period.month": "Месяц",
    "reports.period.total": "Весь диапазон",
    "reports.touch": "Засчитывать",
    "reports.touch.last": "Последнему касанию",
    "reports.touch.first": "Первому касанию",
    "reports.when": "Начало периода",
    "reports.row": "Строка",
    "reports.sessions": "Визиты",
    "reports.calls": "Звонки",
    "reports.target": "Целевые звонки",
    "reports.conversion": "Конверсия",
    "reports.cost": "Расход",
    "reports.costPerCall": "Цена звонка",
    "reports.costPerTarget": "Цена целевого звонка",
    "reports.revenue": "Выручка",
    "reports.roi": "ROI",
    "reports.total": "Итого",
    "reports.csv": "Выгрузить CSV",
    "reports.empty": "За этот период нет визитов и звонков. Выберите период длиннее или проверьте, установлен ли код отслеживания.",
    "reports.costs": "Загрузка расходов на рекламу",
    "reports.costs.help": "CSV-файл с заголовком day,channel,campaign,amount (кампания может быть пустой: весь канал). Дни — календарные дни сайта; повторная загрузка дня заменяет сумму.",
    "reports.costs.file": "Файл расходов (CSV)",
    "reports.costs.preview": "Проверить файл",
    "reports.costs.commit": "Загрузить верные строки: {count}",
    "reports.costs.status": "Проверка",
    "reports.costs.ok": "верно",
    "reports.costs.summary": "Можно загрузить строк: {good}; с ошибками и будут пропущены: {bad}.",
    "reports.costs.imported": "Загружено строк расходов: {count}.",
    "reports.costs.none": "Расходы загружают маркетологи сайта.",
    "reports.day": "День",
    "reports.channel": "Канал",
    "reports.campaign": "Кампания",
    "reports.amount": "Сумма",
  },
});

const GROUPS = ["channel", "campaign", "keyword", "landing_page", "number"];
const PERIODS = ["total", "day", "week", "month"];
const TOUCHES = ["last", "first"];

/** The table's columns: a row's field and how it is shown. */
const COLUMNS = [
  ["sessions", "reports.sessions", formatNumber], ["calls", "reports.calls", formatNumber],
  ["targetCalls", "reports.target", formatNumber], ["conversion", "reports.conversion", formatPercent],
  ["cost", "reports.cost", formatMoney], ["costPerCall", "reports.costPerCall", formatMoney],
  ["costPerTargetCall", "reports.costPerTarget", formatMoney], ["revenue", "reports.revenue", formatMoney],
  ["roi", "reports.roi", formatPercent],
];

/** The totals line: sums of the counts and money, ratios recomputed from the sums (as the API computes them). */
function totals(rows) {
  const sum = f => rows.reduce((s, r) => s + (r[f] === null || r[f] === undefined ? 0 : Number(r[f])), 0);
  const known = f => rows.some(r => r[f] !== null && r[f] !== undefined);
  const cost = known("cost") ? sum("cost") : null;
  const t_ = { sessions: sum("sessions"), calls: sum("calls"), targetCalls: sum("targetCalls"), cost,
    revenue: sum("revenue") };
  t_.conversion = t_.sessions ? t_.targetCalls / t_.sessions : null;
  t_.costPerCall = cost !== null && t_.calls ? cost / t_.calls : null;
  t_.costPerTargetCall = cost !== null && t_.targetCalls ? cost / t_.targetCalls : null;
  t_.roi = cost ? (t_.revenue - cost) / cost : null;
  return t_;
}

function Choice({ id, label, value, options, prefix, onChange }) {
  return html`<label>${t(label)}
    <select id=${id} value=${value} onChange=${e => onChange(e.target.value)}>
      ${options.map(o => html`<option value=${o}>${t(prefix + o)}</option>`)}</select></label>`;
}

function CostImport({ site, onImported }) {
  const [text, setText] = useState(null);
  const [preview, setPreview] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);

  async function check(e) {
    e.preventDefault();
    setDone(null); setError(null); setPreview(null);
    try {
      setPreview(await api.previewCosts(site.id, text));
    } catch (err) {
      if (err.body && err.body.errors) setPreview(err.body); else setError(err);
    }
  }
  async function commit() {
    try {
      const answer = await api.importCosts(site.id, preview.costs.map(({ day, channel, campaign, amount }) =>
        ({ day, channel, campaign, amount: String(amount) })));
      setDone(answer.imported); setPreview(null); onImported();
    } catch (err) {
      setError(err);
    }
  }
  const rows = preview ? [...preview.costs.map(c => ({ ...c, ok: true })), ...preview.errors]
    .sort((a, b) => a.row - b.row) : [];
  return html`<section class="cost-import" aria-labelledby="costs-title">
    <h2 id="costs-title">${t("reports.costs")}</h2>
    <p class="note">${t("reports.costs.help")}</p>
    <form id="cost-form" onSubmit=${check}>
      <label>${t("reports.costs.file")}
        <input type="file" id="cost-file" accept=".csv,text/csv" onChange=${async e => {
          const f = e.target.files[0]; setPreview(null); setText(f ? await f.text() : null); }} /></label>
      <button type="submit" disabled=${text === null}>${t("reports.costs.preview")}</button>
    </form>
    ${error && html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`}
    ${done !== null && html`<p class="note" id="cost-done" role="status">${t("reports.costs.imported", { count: done })}</p>`}
    ${preview && html`
      <p id="cost-summary">${t("reports.costs.summary", { good: preview.costs.length, bad: preview.errors.length })}</p>
      <table class="data" id="cost-preview">
        <thead><tr><th>${t("reports.row")}</th><th>${t("reports.day")}</th><th>${t("reports.channel")}</th>
          <th>${t("reports.campaign")}</th><th>${t("reports.amount")}</th><th>${t("reports.costs.status")}</th></tr></thead>
        <tbody>${rows.map(r => html`<tr data-row=${r.row} class=${r.ok ? "" : "bad"}>
          <td class="num">${r.row}</td><td>${r.day}</td><td>${r.channel}</td><td>${r.campaign}</td>
          <td class="num">${r.ok ? formatMoney(r.amount) : r.amount}</td>
          <td class=${r.ok ? "ok" : "error"}>${r.ok ? t("reports.costs.ok") : r.reason}</td></tr>`)}</tbody></table>
      ${preview.costs.length > 0 && html`<button type="button" id="cost-commit" onClick=${commit}>
        ${t("reports.costs.commit", { count: preview.costs.length })}</button>`}`}
  </section>`;
}

export default function Reports({ session, site, params, go }) {
  const period = periodOf(params, site.timeZone);
  const q = { from: period.from, to: period.to, group: params.group || "channel", period: params.period || "total",
    attribution: params.attribution || "last" };
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [draft, setDraft] = useState(q);
  const [reloads, setReloads] = useState(0);
  const set = (name, v) => setDraft({ ...draft, [name]: v });

  useEffect(() => {
    let live = true;
    setData(null);
    api.report(site.id, q).then(d => live && setData(d), e => live && setError(e));
    return () => { live = false; };
  }, [site.id, JSON.stringify(q), reloads]);

  const rows = data ? data.rows : [];
  const label = r => (q.period === "total" ? "" : r.period + " · ") + (r.label || t("common.none"));
  const sum = totals(rows);
  return html`<section class="reports">
    <h1>${t("reports.title")}: ${site.name}</h1>
    <form class="filters" id="report-form" onSubmit=${e => { e.preventDefault(); go(draft); }}>
      <label>${t("common.from")} <input type="date" id="report-from" value=${draft.from} onInput=${e => set("from", e.target.value)} /></label>
      <label>${t("common.to")} <input type="date" id="report-to" value=${draft.to} onInput=${e => set("to", e.target.value)} /></label>
      <${Choice} id="report-group" label="reports.group" value=${draft.group} options=${GROUPS} prefix="reports.group."
          onChange=${v => set("group", v)} />
      <${Choice} id="report-period" label="reports.period" value=${draft.period} options=${PERIODS} prefix="reports.period."
          onChange=${v => set("period", v)} />
      <${Choice} id="report-touch" label="reports.touch" value=${draft.attribution} options=${TOUCHES} prefix="reports.touch."
          onChange=${v => set("attribution", v)} />
      <button type="submit">${t("common.apply")}</button>
    </form>
    <p><a id="report-csv" href=${api.reportCsvUrl(site.id, q)} download>${t("reports.csv")}</a></p>
    ${error && html`<p class="error" role="alert">${error.status === 403 ? t("common.forbidden")
        : t("common.error", { message: error.message })}</p>`}
    ${!data && !error && html`<p class="loading">${t("common.loading")}</p>`}
    ${data && rows.length === 0 && html`<p class="empty">${t("reports.empty")}</p>`}
    ${rows.length > 0 && html`<table class="data" id="report-table">
      <thead><tr><th scope="col">${t("reports.group." + q.group)}</th>
        ${COLUMNS.map(([, l]) => html`<th scope="col">${t(l)}</th>`)}</tr></thead>
      <tbody>${rows.map(r => html`<tr data-key=${r.key}><th scope="row">${label(r)}</th>
        ${COLUMNS.map(([f, , fmt]) => html`<td class="num" data-col=${f}>${fmt(r[f])}</td>`)}</tr>`)}</tbody>
      <tfoot><tr id="report-total"><th scope="row">${t("reports.total")}</th>
        ${COLUMNS.map(([f, , fmt]) => html`<td class="num" data-col=${f}>${fmt(sum[f])}</td>`)}</tr></tfoot>
    </table>
    <${BarChart} labels=${rows.map(label)} series=${[
      { label: t("reports.calls"), values: rows.map(r => r.calls) },
      { label: t("reports.target"), values: rows.map(r => r.targetCalls) }]} />`}
    ${access.importsCosts(session, site.id)
      ? html`<${CostImport} site=${site} onImported=${() => setReloads(n => n + 1)} />`
      : html`<p class="note">${t("reports.costs.none")}</p>`}
  </section>`;
}
