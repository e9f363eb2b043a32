// Dashboard: the calls ringing or talking right now (GET /v1/calls/live, polled while the page is shown), a site's
// calls, target calls, unanswered calls, conversion and cost per target call by channel
// (GET /v1/sites/{id}/reports), calls by hour of day (from GET /v1/calls) and pool health with sizing advice.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages, formatNumber, formatPercent, formatMoney, formatClock } from "../i18n.js";
import { BarChart } from "../chart.js";
import { periodOf, instantsAround, localDate, localHour } from "../period.js";

addMessages({
  en: {
    "live.title": "Calls ringing or talking right now",
    "live.none": "No calls right now.",
    "live.number": "Tracked number",
    "live.caller": "Caller",
    "live.state": "State",
    "live.manager": "Manager",
    "live.for": "For",
    "live.state.ringing": "ringing",
    "live.state.talking": "talking",
  },
  ru: {
    "live.title": "Звонки, которые идут сейчас",
    "live.none": "Сейчас звонков нет.",
    "live.number": "Номер отслеживания",
    "live.caller": "Кто звонит",
    "live.state": "Состояние",
    "live.manager": "Менеджер",
    "live.for": "Длится",
    "live.state.ringing": "звонит",
    "live.state.talking": "разговор",
  },
});

/** How often the live calls are asked for while the page is shown. */
const LIVE_POLL_MS = 5000;

/**
 * The site's live calls, asked for every {@link LIVE_POLL_MS} while the page is visible: none while it is hidden (a
 * background tab costs the server nothing), and at once when it is shown again. An error keeps the last answer.
 */
function useLiveCalls(siteId) {
  const [live, setLive] = useState({ answer: null, error: null });
  useEffect(() => {
    let timer = null, inFlight = false, stopped = false;
    const visible = () => document.visibilityState === "visible";
    async function poll() {
      timer = null;
      inFlight = true;
      let next;
      try {
        const answer = await api.liveCalls(siteId);
        next = () => ({ answer, error: null });
      } catch (error) {
        next = prev => ({ answer: prev.answer, error });
      }
      inFlight = false;
      if (stopped) return;
      setLive(next);
      if (visible()) timer = setTimeout(poll, LIVE_POLL_MS);
    }
    function onVisibility() {
      clearTimeout(timer);
      timer = null;
      if (visible() && !inFlight) poll();
    }
    document.addEventListener("visibilitychange", onVisibility);
    if (visible()) poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [siteId]);
  return live;
}

/** The managers' names by id, from the site's routing; empty when it cannot be read (ids are shown then). */
function useManagerNames(siteId) {
  const [names, setNames] = useState(new Map());
  useEffect(() => {
    let live = true;
    api.routing(siteId).then(r => live && setNames(new Map(r.departments.flatMap(d => d.managers)
      .map(m => [m.id, m.name]))), () => {});
    return () => { live = false; };
  }, [siteId]);
  return names;
}

function LiveCalls({ site }) {
  const { answer, error } = useLiveCalls(site.id);
  const managers = useManagerNames(site.id);
  // how long, reckoned to the server's now: the browser's clock may be off
  const lasted = c => formatClock(Math.max(0, Math.round((Date.parse(answer.now) - Date.parse(c.since)) / 1000)));
  return html`<section class="live" aria-live="polite">
    <h2>${t("live.title")}</h2>
    ${error && html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`}
    ${!answer && !error && html`<p class="loading">${t("common.loading")}</p>`}
    ${answer && answer.calls.length === 0 && html`<p class="empty" id="live-none">${t("live.none")}</p>`}
    ${answer && answer.calls.length > 0 && html`<table class="data" id="live-calls">
      <thead><tr><th>${t("live.number")}</th><th>${t("live.caller")}</th><th>${t("live.state")}</th>
        <th>${t("live.manager")}</th><th>${t("live.for")}</th></tr></thead>
      <tbody>${answer.calls.map(c => html`<tr data-call=${c.callId} key=${c.callId}>
        <td class="number">${c.calledNumber}</td>
        <td class="caller">${c.callerNumber || t("calls.anonymous")}</td>
        <td class="state">${t("live.state." + c.state)}</td>
        <td class="manager">${c.managerId ? managers.get(c.managerId) || "#" + c.managerId : t("common.none")}</td>
        <td class="num duration">${lasted(c)}</td></tr>`)}</tbody></table>`}
  </section>`;
}

/** At most this many calls are read for the hour-of-day chart (10 pages of 500). */
const HOUR_SAMPLE = 5000;

async function callsByHour(siteId, zone, period) {
  const hours = new Array(24).fill(0);
  let cursor = null, read = 0;
  do {
    const page = await api.calls({ site: siteId, ...instantsAround(period.from, period.to), limit: 500, cursor });
    for (const c of page.items) {
      const day = localDate(c.startedAt, zone);
      if (day >= period.from && day <= period.to) hours[localHour(c.startedAt, zone)]++;
    }
    read += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && read < HOUR_SAMPLE);
  return { hours, capped: cursor ? read : null };
}

/** What to do about the pool: grow it when it ran out, else say how much of it was used. */
function advice(pool) {
  if (pool.poolSize === 0) return t("dash.advice.none");
  if (pool.minutesAtExhaustion > 0) {
    return t("dash.advice.grow", { minutes: formatNumber(pool.minutesAtExhaustion, 1),
      more: Math.max(1, pool.peakConcurrentSessions - pool.poolSize) });
  }
  return t("dash.advice.ok", { peak: pool.peakLeasedNumbers, size: pool.poolSize });
}

function Figure({ id, label, value }) {
  return html`<div class="figure"><span class="label">${label}</span><span class="value" id=${id}>${value}</span></div>`;
}

export default function Dashboard({ site, params, go }) {
  const period = periodOf(params, site.timeZone);
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);

  useEffect(() => {
    let live = true;
    setData(null);
    const q = { from: period.from, to: period.to, period: "total" };
    Promise.all([
      api.report(site.id, { ...q, group: "none" }),
      api.report(site.id, { ...q, group: "channel" }),
      api.poolHealth(site.id, { from: period.from, to: period.to }),
      callsByHour(site.id, site.timeZone, period),
    ]).then(([total, channels, pool, byHour]) => live
        && setData({ total: total.rows[0], channels: channels.rows, pool, byHour }),
      e => live && setError(e));
    return () => { live = false; };
  }, [site.id, period.from, period.to]);

  const total = data && data.total;
  return html`<section class="dashboard">
    <h1>${t("dash.title")}: ${site.name}</h1>
    <${LiveCalls} site=${site} />
    <form class="filters" onSubmit=${e => { e.preventDefault(); go({ from, to }); }}>
      <label>${t("common.from")} <input type="date" id="dash-from" value=${from} onInput=${e => setFrom(e.target.value)} /></label>
      <label>${t("common.to")} <input type="date" id="dash-to" value=${to} onInput=${e => setTo(e.target.value)} /></label>
      <button type="submit">${t("common.apply")}</button>
    </form>
    ${error && html`<p class="error" role="alert">${error.status === 403 ? t("common.forbidden")
        : t("common.error", { message: error.message })}</p>`}
    ${!data && !error && html`<p class="loading">${t("common.loading")}</p>`}
    ${data && html`
      <div class="figures">
        <${Figure} id="dash-calls" label=${t("dash.calls")} value=${formatNumber(total ? total.calls : 0)} />
        <${Figure} id="dash-target" label=${t("dash.targetCalls")} value=${formatNumber(total ? total.targetCalls : 0)} />
        <${Figure} id="dash-unanswered" label=${t("dash.unanswered")}
            value=${formatNumber(total ? total.unansweredCalls : 0)} />
        <${Figure} id="dash-conversion" label=${t("dash.conversion")} value=${formatPercent(total && total.conversion)} />
        <${Figure} id="dash-cpt" label=${t("dash.costPerTarget")} value=${formatMoney(total && total.costPerTargetCall)} />
      </div>
      ${(!total || total.calls === 0) && html`<p class="empty">${t("dash.empty")}</p>`}
      <h2>${t("dash.byChannel")}</h2>
      <table class="data" id="dash-channels">
        <thead><tr><th>${t("dash.channel")}</th><th>${t("dash.calls")}</th><th>${t("dash.targetCalls")}</th>
          <th>${t("dash.unanswered")}</th><th>${t("dash.conversion")}</th><th>${t("dash.costPerTarget")}</th></tr></thead>
        <tbody>${data.channels.map(r => html`<tr>
          <td>${r.label}</td><td class="num">${formatNumber(r.calls)}</td><td class="num">${formatNumber(r.targetCalls)}</td>
          <td class="num">${formatNumber(r.unansweredCalls)}</td><td class="num">${formatPercent(r.conversion)}</td>
          <td class="num">${formatMoney(r.costPerTargetCall)}</td></tr>`)}</tbody>
      </table>
      ${data.channels.length > 0 && html`<${BarChart} labels=${data.channels.map(r => r.label)} series=${[
        { label: t("dash.calls"), values: data.channels.map(r => r.calls) },
        { label: t("dash.targetCalls"), values: data.channels.map(r => r.targetCalls) }]} />`}
      <h2>${t("dash.byHour", { zone: site.timeZone })}</h2>
      <${BarChart} labels=${data.byHour.hours.map((_, h) => String(h))}
          series=${[{ label: t("dash.calls"), values: data.byHour.hours }]} />
      <table class="sr-only" id="dash-hours"><caption>${t("dash.byHour", { zone: site.timeZone })}</caption>
        <tr>${data.byHour.hours.map((_, h) => html`<th scope="col">${h}</th>`)}</tr>
        <tr>${data.byHour.hours.map(n => html`<td>${n}</td>`)}</tr></table>
      ${data.byHour.capped && html`<p class="note">${t("dash.byHourCapped", { count: data.byHour.capped })}</p>`}
      <h2>${t("dash.pool")}</h2>
      <div class="figures">
        <${Figure} id="pool-size" label=${t("dash.poolSize")} value=${formatNumber(data.pool.poolSize)} />
        <${Figure} id="pool-peak" label=${t("dash.peakLeased")} value=${formatNumber(data.pool.peakLeasedNumbers)} />
        <${Figure} label=${t("dash.peakSessions")} value=${formatNumber(data.pool.peakConcurrentSessions)} />
        <${Figure} label=${t("dash.exhausted")} value=${formatNumber(data.pool.minutesAtExhaustion, 1)} />
        <${Figure} label=${t("dash.noNumber")} value=${formatNumber(data.pool.sessionsWithoutNumber)} />
        <${Figure} label=${t("dash.unattributed")} value=${formatNumber(data.pool.unattributedCalls)} />
      </div>
      <p class="advice" id="pool-advice">${advice(data.pool)}</p>`}
  </section>`;
}
