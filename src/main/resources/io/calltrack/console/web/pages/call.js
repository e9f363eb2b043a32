// One call (GET /v1/calls/{id}): what happened, where it came from (first and last touch), its dial attempts,
// the recording (the browser seeks with Range requests), the deal amount and re-classification.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { access } from "../access.js";
import { t, formatDateTime, formatSeconds, formatMoney } from "../i18n.js";

function Row({ label, children }) {
  return html`<tr><th scope="row">${label}</th><td>${children}</td></tr>`;
}

const UTM = ["source", "medium", "campaign", "term", "content"];

function Touch({ title, touch, zone, id }) {
  if (!touch) return null;
  const clicks = Object.entries(touch.clickIds || {}).filter(([, v]) => v);
  const utm = UTM.filter(k => touch.utm && touch.utm[k]).map(k => `${k}=${touch.utm[k]}`).join(", ");
  return html`<table class="facts" id=${id}><caption>${title}</caption><tbody>
    <${Row} label=${t("calls.time")}>${formatDateTime(touch.at, zone)}<//>
    <${Row} label=${t("call.channel")}>${touch.channelName || t("common.none")}<//>
    <${Row} label=${t("call.utm")}>${utm || t("common.none")}<//>
    <${Row} label=${t("call.keyword")}>${(touch.utm && touch.utm.term) || t("common.none")}<//>
    <${Row} label=${t("call.landing")}>${touch.landingPage || t("common.none")}<//>
    <${Row} label=${t("call.clickIds")}>${clicks.length ? clicks.map(([k, v]) => `${k}=${v}`).join(", ") : t("common.none")}<//>
  </tbody></table>`;
}

function Timeline({ events, zone }) {
  const attempts = events.filter(e => e.kind === "routed");
  if (attempts.length === 0) return html`<p class="empty">${t("common.none")}</p>`;
  return html`<ol class="timeline" id="call-timeline">${attempts.map(e => html`<li>
    <time>${formatDateTime(e.occurredAt, zone)}</time>
    ${" "}${t("call.attempt", { n: e.detail.attempt, destination: e.detail.destination })}
    ${" "}<strong class="status">${e.detail.status}</strong>
    ${e.detail.answeredBy ? " " + e.detail.answeredBy : ""}
    ${e.detail.talkMs ? " " + formatSeconds(Math.round(e.detail.talkMs / 1000)) : ""}</li>`)}</ol>`;
}

function DealForm({ call, onSaved }) {
  const [amount, setAmount] = useState(call.dealAmount ?? "");
  const [note, setNote] = useState(null);
  async function save(e) {
    e.preventDefault();
    try {
      const saved = await api.setDeal(call.id, amount === "" ? null : Number(amount));
      setNote(t("common.saved"));
      onSaved(saved.dealAmount);
    } catch (err) {
      setNote(t("common.error", { message: err.message }));
    }
  }
  return html`<form class="deal" id="deal-form" onSubmit=${save}>
    <label for="deal-amount">${t("call.deal")}</label>
    <input id="deal-amount" type="number" step="0.01" min="0" value=${amount} onInput=${e => setAmount(e.target.value)} />
    <button type="submit">${t("common.save")}</button>
    ${note && html`<span class="note" role="status">${note}</span>`}
  </form>`;
}

export default function CallPage({ session, sites, id }) {
  const [call, setCall] = useState(null);
  const [error, setError] = useState(null);
  const [note, setNote] = useState(null);
  useEffect(() => { api.call(id).then(setCall, setError); }, [id]);

  if (error) {
    return html`<p class="error" role="alert">${error.status === 403 ? t("common.forbidden")
        : t("common.error", { message: error.message })}</p>`;
  }
  if (!call) return html`<p class="loading">${t("common.loading")}</p>`;
  const site = sites.find(s => s.id === call.siteId);
  const zone = site && site.timeZone;
  const cls = call.outcome.classification;
  const touches = (call.visit && call.visit.touches) || {};
  const ids = call.visit || {};

  async function reclassify() {
    const r = await api.reclassify(call.siteId);
    setNote(t("call.reclassified", { count: r.reclassified }));
    setCall(await api.call(id));
  }

  return html`<section class="call">
    <p><a href=${"#/calls" + (call.siteId ? "?site=" + call.siteId : "")}>${t("call.back")}</a></p>
    <h1>${t("call.title", { id: call.id })}</h1>
    <table class="facts" id="call-summary"><caption>${t("call.summary")}${zone ? ` (${zone})` : ""}</caption><tbody>
      <${Row} label=${t("calls.time")}>${formatDateTime(call.startedAt, zone)}<//>
      <${Row} label=${t("call.caller")}>${call.callerNumber || t("calls.anonymous")}<//>
      <${Row} label=${t("call.called")}>${call.calledNumber}<//>
      <${Row} label=${t("call.state")}>${call.state}<//>
      <${Row} label=${t("calls.class")}>${cls && cls.callClass ? t("class." + cls.callClass) : t("common.none")}<//>
      <${Row} label=${t("call.reason")}>${(cls && cls.reason) || t("common.none")}<//>
      <${Row} label=${t("call.ring")}>${formatSeconds(call.outcome.ringSeconds)}<//>
      <${Row} label=${t("calls.duration")}>${formatSeconds(call.outcome.talkSeconds)}<//>
      <${Row} label=${t("call.firstTime")}>${t(call.firstTimeCaller ? "common.yes" : "common.no")}<//>
      <${Row} label=${t("call.repeat")}>${t(call.repeatCall ? "common.yes" : "common.no")}<//>
      <${Row} label=${t("call.deal")}>${formatMoney(call.dealAmount)}<//>
    </tbody></table>
    <h2>${t("call.attribution")}</h2>
    <p id="call-method">${t("call.method")}: ${call.attribution}</p>
    ${ids.clientId && html`<p>${t("call.clientId")}: <code>${ids.clientId}</code></p>`}
    <div class="touches">
      <${Touch} id="touch-last" title=${t("call.lastTouch")} touch=${touches.last} zone=${zone} />
      <${Touch} id="touch-first" title=${t("call.firstTouch")} touch=${touches.first} zone=${zone} />
    </div>
    <h2>${t("call.timeline")}</h2>
    <${Timeline} events=${call.events} zone=${zone} />
    <h2>${t("call.recording")}</h2>
    ${call.recordingPath && access.hearsRecordings(session, call.siteId)
      ? html`<audio id="recording" controls preload="metadata" src=${api.recordingUrl(call.id)}></audio>`
      : html`<p class="empty">${t("call.noRecording")}</p>`}
    ${access.editsCalls(session, call.siteId) && html`
      <${DealForm} call=${call} onSaved=${amount => setCall({ ...call, dealAmount: amount })} />
      <p><button type="button" id="reclassify" onClick=${reclassify}>${t("call.reclassify")}</button>
        ${note && html` <span class="note" role="status">${note}</span>`}</p>`}
  </section>`;
}
