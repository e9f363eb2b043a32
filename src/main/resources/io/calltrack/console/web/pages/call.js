// One call (GET /v1/calls/{id}): what happened, where it came from (first and last touch, a link to the visitor
// session), its dial attempts, the recording (the browser seeks with Range requests), its tags (the speech rules' and
// the users'), a user's note,
// the transcript as a dialogue with the words the rules matched marked (a line plays the recording from there),
// the deal amount and re-classification.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { access } from "../access.js";
import { t, addMessages, formatDateTime, formatSeconds, formatMoney, formatClock } from "../i18n.js";
import { Row, utmLine } from "../facts.js";

addMessages({
  en: {
    "call.tags": "Tags",
    "call.tags.none": "No tags.",
    "call.tags.rule": "set by a speech rule",
    "call.tags.new": "New tag",
    "call.tags.add": "Add tag",
    "call.tags.remove": "Remove tag {tag}",
    "call.note": "Note",
    "call.note.none": "No note.",
    "call.note.save": "Save note",
    "call.transcript": "Transcript",
    "call.transcript.none": "This call has not been transcribed.",
    "call.transcript.pending": "Waiting to be transcribed.",
    "call.transcript.running": "Being transcribed now.",
    "call.transcript.retrying": "The last attempt failed, it will be retried: {error}",
    "call.transcript.dead": "Transcription failed: {error}",
    "call.transcript.at": "Transcribed {at}; times are from the start of the recording.",
    "call.transcript.empty": "Nothing was said that could be recognised.",
    "call.transcript.play": "Play from {time}",
    "call.side.caller": "Caller",
    "call.side.manager": "Manager",
    "call.side.mixed": "Both sides",
    "call.visitorSession": "Visitor session",
  },
  ru: {
    "call.tags": "Теги",
    "call.tags.none": "Тегов нет.",
    "call.tags.rule": "поставлен правилом речевой аналитики",
    "call.tags.new": "Новый тег",
    "call.tags.add": "Добавить тег",
    "call.tags.remove": "Удалить тег {tag}",
    "call.note": "Заметка",
    "call.note.none": "Заметки нет.",
    "call.note.save": "Сохранить заметку",
    "call.transcript": "Расшифровка",
    "call.transcript.none": "Этот звонок не расшифрован.",
    "call.transcript.pending": "Ждёт расшифровки.",
    "call.transcript.running": "Расшифровывается сейчас.",
    "call.transcript.retrying": "Последняя попытка не удалась, будет повтор: {error}",
    "call.transcript.dead": "Расшифровать не удалось: {error}",
    "call.transcript.at": "Расшифровано {at}; время — от начала записи.",
    "call.transcript.empty": "Ничего разборчивого не сказано.",
    "call.transcript.play": "Воспроизвести с {time}",
    "call.side.caller": "Клиент",
    "call.side.manager": "Менеджер",
    "call.side.mixed": "Обе стороны",
    "call.visitorSession": "Сессия посетителя",
  },
});

/** The call with the user's tags as saved: every tag is the rules' and theirs. */
function withManualTags(call, manualTags) {
  const tags = [...new Set([...(call.ruleTags || []), ...manualTags])].sort();
  return { ...call, manualTags, tags };
}

function Touch({ title, touch, zone, id }) {
  if (!touch) return null;
  const clicks = Object.entries(touch.clickIds || {}).filter(([, v]) => v);
  const utm = utmLine(touch.utm);
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

/** The call's tags, the rules' marked as such; an editor adds and removes their own (PUT /v1/calls/{id}/tags). */
function Tags({ call, edits, onSaved }) {
  const [draft, setDraft] = useState("");
  const [error, setError] = useState(null);
  const manual = call.manualTags || [];
  const rule = call.ruleTags || [];
  async function save(tags) {
    try {
      const saved = await api.setTags(call.id, tags);
      setError(null);
      onSaved(saved.tags);
      return true;
    } catch (err) {
      setError(err.message);
      return false;
    }
  }
  async function add(e) {
    e.preventDefault();
    if (draft.trim() && await save([...manual, draft])) setDraft("");
  }
  const none = rule.length === 0 && manual.length === 0;
  return html`<section class="call-tags" aria-labelledby="call-tags-title">
    <h2 id="call-tags-title">${t("call.tags")}</h2>
    ${none ? html`<p class="empty">${t("call.tags.none")}</p>` : html`<ul class="call-tag-list" id="call-tags">
      ${rule.map(tag => html`<li class="call-tag rule" data-tag=${tag} title=${t("call.tags.rule")}>
        ${tag}<span class="sr-only"> (${t("call.tags.rule")})</span></li>`)}
      ${manual.map(tag => html`<li class="call-tag manual" data-tag=${tag}>${tag}
        ${edits && html`<button type="button" class="call-tag-remove" aria-label=${t("call.tags.remove", { tag })}
          title=${t("call.tags.remove", { tag })} onClick=${() => save(manual.filter(m => m !== tag))}>×</button>`}
      </li>`)}
    </ul>`}
    ${edits && html`<form class="call-tag-add" id="tag-form" onSubmit=${add}>
      <label for="tag-new">${t("call.tags.new")}</label>
      <input id="tag-new" maxlength="100" value=${draft} aria-invalid=${error ? "true" : "false"}
        aria-describedby=${error ? "tag-error" : undefined} onInput=${e => setDraft(e.target.value)} />
      <button type="submit">${t("call.tags.add")}</button>
      ${error && html`<span class="error" id="tag-error" role="alert">${error}</span>`}
    </form>`}
  </section>`;
}

/** A user's note on the call: editors change it (PUT /v1/calls/{id}/note; empty clears it), others read it. */
function Note({ call, edits, onSaved }) {
  const [text, setText] = useState(call.note || "");
  const [status, setStatus] = useState(null);
  async function save(e) {
    e.preventDefault();
    try {
      const saved = await api.setNote(call.id, text);
      setText(saved.note || "");
      setStatus({ ok: true, text: t("common.saved") });
      onSaved(saved.note);
    } catch (err) {
      setStatus({ ok: false, text: t("common.error", { message: err.message }) });
    }
  }
  if (!edits) {
    return html`<section class="call-note"><h2>${t("call.note")}</h2>
      ${call.note ? html`<p class="call-note-text" id="call-note">${call.note}</p>`
        : html`<p class="empty">${t("call.note.none")}</p>`}</section>`;
  }
  return html`<section class="call-note"><h2>${t("call.note")}</h2>
    <form id="note-form" onSubmit=${save}>
      <label for="note-text" class="sr-only">${t("call.note")}</label>
      <textarea id="note-text" rows="4" maxlength="2000" value=${text} onInput=${e => setText(e.target.value)}></textarea>
      <p><button type="submit">${t("call.note.save")}</button>
        ${status && html` <span class=${status.ok ? "note" : "error"} role=${status.ok ? "status" : "alert"}>${status.text}</span>`}</p>
    </form></section>`;
}

/** A turn's words with the rules' matches marked: each word once, in the first span that covers it. */
function Words({ turn, spans }) {
  const words = turn.words && turn.words.length ? turn.words.map(w => w.text) : [turn.text];
  const parts = [];
  for (let w = 0; w < words.length;) {
    const span = spans.find(s => s.fromWord <= w && w <= s.toWord);
    if (span) {
      parts.push(html`<mark title=${span.tag}>${words.slice(w, span.toWord + 1).join(" ")}</mark>`);
      w = span.toWord + 1;
    } else {
      parts.push(words[w]);
      w += 1;
    }
    if (w < words.length) parts.push(" ");
  }
  return parts;
}

/** The transcript as a dialogue; with a player on the page each line is a button that plays from its start. */
function Transcript({ id, zone, playable }) {
  const [answer, setAnswer] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { api.transcript(id).then(setAnswer, setError); }, [id]);
  function play(turn) {
    const audio = document.getElementById("recording");
    if (!audio) return;
    audio.currentTime = turn.start;
    audio.play().catch(() => {}); // a player the browser will not start still shows where it stands
  }
  let body;
  if (error) body = html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`;
  else if (!answer) body = html`<p class="loading">${t("common.loading")}</p>`;
  else if (answer.status === "done") {
    const tr = answer.transcript;
    body = html`<p class="hint">${t("call.transcript.at", { at: formatDateTime(tr.transcribedAt, zone) })}</p>
      ${tr.turns.length === 0 ? html`<p class="empty">${t("call.transcript.empty")}</p>` : html`<ol class="dialogue" id="transcript">
      ${tr.turns.map((turn, i) => {
        const side = ["caller", "manager"].includes(turn.side) ? turn.side : "mixed";
        const line = html`<span class="turn-who">${t("call.side." + side)}</span>
          <time class="turn-at">${formatClock(turn.start)}</time>
          <span class="turn-text"><${Words} turn=${turn} spans=${answer.spans.filter(s => s.turn === i)} /></span>`;
        return html`<li class=${"turn " + side} data-turn=${i}>${playable
          ? html`<button type="button" class="turn-play" title=${t("call.transcript.play", { time: formatClock(turn.start) })}
              onClick=${() => play(turn)}>${line}</button>`
          : html`<div class="turn-line">${line}</div>`}</li>`;
      })}</ol>`}`;
  } else {
    const key = answer.status === "dead" ? "call.transcript.dead"
      : answer.error ? "call.transcript.retrying" : "call.transcript." + answer.status;
    body = html`<p class=${answer.status === "dead" ? "error" : "empty"} id="transcript-status">
      ${t(key, { error: answer.error || t("common.none") })}</p>`;
  }
  return html`<section class="call-transcript"><h2>${t("call.transcript")}</h2>${body}</section>`;
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
  const edits = access.editsCalls(session, call.siteId);
  const hears = access.hearsRecordings(session, call.siteId);

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
    ${ids.sessionId && html`<p><a id="visitor-session" href=${"#/sessions/" + ids.sessionId
        + (call.siteId ? "?site=" + call.siteId : "")}>${t("call.visitorSession")}</a></p>`}
    <div class="touches">
      <${Touch} id="touch-last" title=${t("call.lastTouch")} touch=${touches.last} zone=${zone} />
      <${Touch} id="touch-first" title=${t("call.firstTouch")} touch=${touches.first} zone=${zone} />
    </div>
    <h2>${t("call.timeline")}</h2>
    <${Timeline} events=${call.events} zone=${zone} />
    <${Tags} call=${call} edits=${edits} onSaved=${manualTags => setCall(c => withManualTags(c, manualTags))} />
    <${Note} call=${call} edits=${edits} onSaved=${n => setCall(c => ({ ...c, note: n }))} />
    <h2>${t("call.recording")}</h2>
    ${call.recordingPath && hears
      ? html`<audio id="recording" controls preload="metadata" src=${api.recordingUrl(call.id)}></audio>`
      : html`<p class="empty">${t("call.noRecording")}</p>`}
    ${hears && html`<${Transcript} id=${call.id} zone=${zone} playable=${Boolean(call.recordingPath)} />`}
    ${edits && html`
      <${DealForm} call=${call} onSaved=${amount => setCall({ ...call, dealAmount: amount })} />
      <p><button type="button" id="reclassify" onClick=${reclassify}>${t("call.reclassify")}</button>
        ${note && html` <span class="note" role="status">${note}</span>`}</p>`}
  </section>`;
}
