// A site's tracked numbers (/v1/sites/{id}/numbers): static ones with their channel and the dynamic pool; one at a
// time, or many from a pasted list or a CSV file (POST .../numbers/bulk), whose refused lines are listed with why;
// each edited in place (PUT .../numbers/{id}: number, kind, channel, Track ID entry).
import { html, useState, useEffect, useRef } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages, formatNumber } from "../i18n.js";
import { Field, useForm, errorText, Outcome } from "./tracking-form.js";

addMessages({
  en: {
    "tracking.numbers": "Numbers",
    "tracking.numbers.summary": "{pool} in the pool, {static} static.",
    "tracking.numbers.empty": "No numbers yet: every visitor sees the fallback number {fallback}. Add pool numbers for the dynamic channels (paste a list below, one number a line, or upload a CSV), or a static number for a static channel.",
    "tracking.numbers.noPool": "The pool is empty: visitors of dynamic channels see the fallback number until you add pool numbers.",
    "tracking.number.number": "Number",
    "tracking.number.kind": "Kind",
    "tracking.number.pool": "pool",
    "tracking.number.static": "static",
    "tracking.number.channel": "Channel",
    "tracking.number.noStaticChannel": "A static number belongs to a static channel: add one under Channels first.",
    "tracking.number.add": "Add number",
    "tracking.number.added": "Number {number} added.",
    "tracking.number.delete": "Delete",
    "tracking.number.confirmDelete": "Delete number {number}? Visitors holding it get another one.",
    "tracking.bulk": "Add many numbers",
    "tracking.bulk.text": "Numbers, one a line: number[,kind[,channel]]",
    "tracking.bulk.hint": "Kind is pool or static; a number with a channel (its name) is static, one without goes to the pool. A first line starting with \"number\" is a header.",
    "tracking.bulk.file": "Or read a CSV file",
    "tracking.bulk.check": "Check the list",
    "tracking.bulk.add": "Add the numbers",
    "tracking.bulk.checked": "All {count} lines are fine; nothing is stored yet.",
    "tracking.bulk.stored": "{count} numbers added.",
    "tracking.bulk.refused": "Nothing was added: {count} of {rows} lines cannot be. Correct them and send the list again.",
    "tracking.bulk.line": "Line",
    "tracking.bulk.content": "Content",
    "tracking.bulk.reason": "Why",
    "tracking.number.edit": "Edit",
    "tracking.number.editing": "Edit number {number}",
    "tracking.number.trackIdEntry": "Ask callers for their Track ID",
    "tracking.number.saved": "Number {number} saved.",
    "tracking.number.cancel": "Cancel",
    "tracking.number.cancelHint": "Enter saves, Escape cancels.",
  },
  ru: {
    "tracking.numbers": "Номера",
    "tracking.numbers.summary": "В пуле: {pool}, статических: {static}.",
    "tracking.numbers.empty": "Номеров пока нет: все посетители видят резервный номер {fallback}. Добавьте номера в пул для динамических каналов (вставьте список ниже, по номеру в строке, или загрузите CSV) или статический номер для статического канала.",
    "tracking.numbers.noPool": "Пул пуст: посетители динамических каналов видят резервный номер, пока вы не добавите номера в пул.",
    "tracking.number.number": "Номер",
    "tracking.number.kind": "Вид",
    "tracking.number.pool": "пул",
    "tracking.number.static": "статический",
    "tracking.number.channel": "Канал",
    "tracking.number.noStaticChannel": "Статический номер принадлежит статическому каналу: сначала добавьте такой канал.",
    "tracking.number.add": "Добавить номер",
    "tracking.number.added": "Номер {number} добавлен.",
    "tracking.number.delete": "Удалить",
    "tracking.number.confirmDelete": "Удалить номер {number}? Посетители, у которых он сейчас, получат другой.",
    "tracking.bulk": "Добавить много номеров",
    "tracking.bulk.text": "Номера, по одному в строке: номер[,вид[,канал]]",
    "tracking.bulk.hint": "Вид — pool или static; номер с каналом (его названием) статический, без канала — в пул. Первая строка, начинающаяся с \"number\", — заголовок.",
    "tracking.bulk.file": "Или прочитать файл CSV",
    "tracking.bulk.check": "Проверить список",
    "tracking.bulk.add": "Добавить номера",
    "tracking.bulk.checked": "Все строки ({count}) в порядке; пока ничего не сохранено.",
    "tracking.bulk.stored": "Добавлено номеров: {count}.",
    "tracking.bulk.refused": "Ничего не добавлено: строк с ошибками {count} из {rows}. Исправьте их и отправьте список снова.",
    "tracking.bulk.line": "Строка",
    "tracking.bulk.content": "Содержимое",
    "tracking.bulk.reason": "Причина",
    "tracking.number.edit": "Изменить",
    "tracking.number.editing": "Изменить номер {number}",
    "tracking.number.trackIdEntry": "Спрашивать у звонящих Track ID",
    "tracking.number.saved": "Номер {number} сохранён.",
    "tracking.number.cancel": "Отмена",
    "tracking.number.cancelHint": "Enter сохраняет, Escape отменяет.",
  },
});

function NumberForm({ site, channels, onAdded }) {
  const statics = channels.filter(c => c.tracking === "static");
  const form = useForm({ number: "", kind: "pool", channelId: "" });
  const [outcome, setOutcome] = useState(null);
  const isStatic = form.values.kind === "static";
  async function submit(e) {
    e.preventDefault();
    const channelId = isStatic ? Number(form.values.channelId || (statics[0] && statics[0].id)) : null;
    try {
      const n = await api.createNumber(site.id, { number: form.values.number, kind: form.values.kind, channelId });
      setOutcome({ note: t("tracking.number.added", { number: n.display }) });
      form.set("number", "");
      onAdded();
    } catch (err) {
      setOutcome({ error: errorText(err) });
    }
  }
  return html`<form class="setup" id="number-form" onSubmit=${submit}>
    <div class="field-row">
      <${Field} id="number-value" type="tel" required label=${t("tracking.number.number")} ...${form.bind("number")} />
      <${Field} id="number-kind" as="select" label=${t("tracking.number.kind")} ...${form.bind("kind")}>
        <option value="pool">${t("tracking.number.pool")}</option>
        <option value="static">${t("tracking.number.static")}</option><//>
      ${isStatic && statics.length > 0 && html`<${Field} id="number-channel" as="select"
          label=${t("tracking.number.channel")} ...${form.bind("channelId")}>
        ${statics.map(c => html`<option value=${String(c.id)}>${c.name}</option>`)}<//>`}
    </div>
    ${isStatic && statics.length === 0 && html`<p class="note">${t("tracking.number.noStaticChannel")}</p>`}
    <p class="actions"><button type="submit" id="number-submit" disabled=${isStatic && statics.length === 0}>
      ${t("tracking.number.add")}</button></p>
    <${Outcome} id="number-outcome" outcome=${outcome} />
  </form>`;
}

/** A number's row turned into its form: the server's refusal of a field is said under that field. */
function NumberEdit({ site, number, channels, onSaved, onCancel, colspan }) {
  const statics = channels.filter(c => c.tracking === "static");
  const [values, setValues] = useState({ number: number.e164, kind: number.kind,
    channelId: number.channelId ? String(number.channelId) : (statics[0] ? String(statics[0].id) : ""),
    trackIdEntry: number.trackIdEntry });
  const [error, setError] = useState(null);
  const first = useRef(null);
  useEffect(() => { first.current && first.current.focus(); }, []);
  const set = (key, value) => setValues(v => ({ ...v, [key]: value }));
  const id = key => `number-${number.id}-${key}`;
  const at = key => error && error.field === key ? error : null;
  const invalid = key => ({ "aria-invalid": at(key) ? "true" : undefined,
    "aria-describedby": at(key) ? id(key) + "-error" : undefined });
  const fieldError = key => at(key) && html`<span class="field-error" id=${id(key) + "-error"}>${at(key).message}</span>`;
  async function save(e) {
    e.preventDefault();
    try {
      const saved = await api.saveNumber(site.id, number.id, { number: values.number, kind: values.kind,
        channelId: values.kind === "static" && values.channelId ? Number(values.channelId) : null,
        trackIdEntry: values.trackIdEntry });
      onSaved(saved);
    } catch (err) {
      setError(err);
    }
  }
  const escape = e => { if (e.key === "Escape") { e.preventDefault(); onCancel(); } };
  return html`<td colspan=${colspan}><form class="number-edit" id=${id("form")} onSubmit=${save} onKeyDown=${escape}
      aria-label=${t("tracking.number.editing", { number: number.display })}>
    <label>${t("tracking.number.number")}<input id=${id("number")} ref=${first} type="tel" required value=${values.number}
      onInput=${e => set("number", e.target.value)} ...${invalid("number")} />${fieldError("number")}</label>
    <label>${t("tracking.number.kind")}<select id=${id("kind")} value=${values.kind}
        onChange=${e => set("kind", e.target.value)} ...${invalid("kind")}>
      <option value="pool">${t("tracking.number.pool")}</option>
      <option value="static">${t("tracking.number.static")}</option></select>${fieldError("kind")}</label>
    ${values.kind === "static" && html`<label>${t("tracking.number.channel")}<select id=${id("channel")}
        value=${values.channelId} onChange=${e => set("channelId", e.target.value)} ...${invalid("channelId")}>
      ${statics.length === 0 && html`<option value="">${t("common.none")}</option>`}
      ${statics.map(c => html`<option value=${String(c.id)}>${c.name}</option>`)}</select>${fieldError("channelId")}</label>`}
    <label class="check"><input type="checkbox" id=${id("trackIdEntry")} checked=${values.trackIdEntry}
      onChange=${e => set("trackIdEntry", e.target.checked)} />${t("tracking.number.trackIdEntry")}</label>
    <span class="row-actions"><button type="submit" id=${id("save")}>${t("common.save")}</button>
      <button type="button" class="secondary" onClick=${onCancel}>${t("tracking.number.cancel")}</button></span>
    <small class="hint">${t("tracking.number.cancelHint")}</small>
    ${error && !error.field && html`<p class="error" role="alert">${errorText(error)}</p>`}
  </form></td>`;
}

/** The refused lines of a bulk add: which, what it said, and why. */
function RowErrors({ errors }) {
  return html`<table class="data" id="bulk-errors">
    <thead><tr><th>${t("tracking.bulk.line")}</th><th>${t("tracking.bulk.content")}</th><th>${t("tracking.bulk.reason")}</th></tr></thead>
    <tbody>${errors.map(e => html`<tr data-row=${e.row}><td class="num">${e.row}</td><td><code>${e.line}</code></td>
      <td>${e.reason}</td></tr>`)}</tbody></table>`;
}

function BulkForm({ site, onAdded }) {
  const [text, setText] = useState("");
  const [outcome, setOutcome] = useState(null);
  const [errors, setErrors] = useState([]);
  const [busy, setBusy] = useState(false);
  async function send(dryRun) {
    setBusy(true);
    try {
      const r = await api.bulkNumbers(site.id, text, dryRun);
      setErrors([]);
      setOutcome({ note: dryRun ? t("tracking.bulk.checked", { count: r.rows })
        : t("tracking.bulk.stored", { count: r.numbers.length }) });
      if (!dryRun) { setText(""); onAdded(); }
    } catch (err) {
      const listed = err.body && err.body.errors;
      setErrors(listed || []);
      setOutcome({ error: listed ? t("tracking.bulk.refused", { count: listed.length, rows: err.body.rows })
        : errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  async function readFile(e) {
    const file = e.target.files[0];
    if (file) setText(await file.text());
  }
  return html`<form class="setup" id="bulk-form" onSubmit=${e => { e.preventDefault(); send(false); }}>
    <h3>${t("tracking.bulk")}</h3>
    <${Field} id="bulk-text" as="textarea" rows="6" label=${t("tracking.bulk.text")} hint=${t("tracking.bulk.hint")}
        value=${text} onInput=${e => setText(e.target.value)} placeholder=${"+7 495 123-45-01\n+7 495 123-45-02,static,Billboard"} />
    <${Field} id="bulk-file" type="file" accept=".csv,.txt,text/csv,text/plain" label=${t("tracking.bulk.file")}
        onChange=${readFile} />
    <p class="actions"><button type="button" class="secondary" id="bulk-check" disabled=${busy || !text.trim()}
        onClick=${() => send(true)}>${t("tracking.bulk.check")}</button>
      ${" "}<button type="submit" id="bulk-add" disabled=${busy || !text.trim()}>${t("tracking.bulk.add")}</button></p>
    <${Outcome} id="bulk-outcome" outcome=${outcome} />
    ${errors.length > 0 && html`<${RowErrors} errors=${errors} />`}
  </form>`;
}

export function Numbers({ site, channels, editable }) {
  const [numbers, setNumbers] = useState(null);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(null);
  const [saved, setSaved] = useState(null);
  const load = () => api.numbers(site.id).then(n => { setNumbers(n); setError(null); }, setError);
  // back from a row's form, the focus returns to its Edit button
  const closeEdit = numberId => {
    setEditing(null);
    setTimeout(() => { const b = document.getElementById(`number-${numberId}-edit`); if (b) b.focus(); });
  };
  useEffect(() => { load(); }, [site.id]);
  const channelName = id => (channels.find(c => c.id === id) || {}).name || String(id);
  async function remove(n) {
    if (!window.confirm(t("tracking.number.confirmDelete", { number: n.display }))) return;
    try {
      await api.deleteNumber(site.id, n.id);
      load();
    } catch (err) {
      setError(err);
    }
  }
  const pool = numbers ? numbers.filter(n => n.kind === "pool").length : 0;
  const hasDynamic = channels.some(c => c.tracking === "dynamic");
  return html`<section class="panel" aria-labelledby="numbers-title">
    <h2 id="numbers-title">${t("tracking.numbers")}</h2>
    ${error && html`<p class="error" role="alert">${errorText(error)}</p>`}
    ${!numbers && !error && html`<p class="loading">${t("common.loading")}</p>`}
    ${numbers && numbers.length === 0 && html`<p class="empty" id="numbers-empty">
      ${t("tracking.numbers.empty", { fallback: site.fallbackNumber })}</p>`}
    ${numbers && numbers.length > 0 && html`
      <p id="numbers-summary">${t("tracking.numbers.summary",
        { pool: formatNumber(pool), static: formatNumber(numbers.length - pool) })}</p>
      ${pool === 0 && hasDynamic && html`<p class="empty">${t("tracking.numbers.noPool")}</p>`}
      <table class="data" id="numbers">
        <thead><tr><th>${t("tracking.number.number")}</th><th>${t("tracking.number.kind")}</th>
          <th>${t("tracking.number.channel")}</th>${editable && html`<th></th>`}</tr></thead>
        <tbody>${numbers.map(n => editing === n.id ? html`<tr data-number=${n.e164} class="editing">
          <${NumberEdit} site=${site} number=${n} channels=${channels} colspan="4" onCancel=${() => closeEdit(n.id)}
              onSaved=${s => { setSaved(t("tracking.number.saved", { number: s.display })); closeEdit(n.id); load(); }} />
          </tr>` : html`<tr data-number=${n.e164}>
          <td>${n.display}</td><td>${t("tracking.number." + n.kind)}</td>
          <td>${n.channelId ? channelName(n.channelId) : t("common.none")}</td>
          ${editable && html`<td class="row-actions">
            <button type="button" class="secondary" id=${`number-${n.id}-edit`} onClick=${() => { setSaved(null); setEditing(n.id); }}
                aria-label=${t("tracking.number.editing", { number: n.display })}>${t("tracking.number.edit")}</button>
            <button type="button" class="danger" onClick=${() => remove(n)}>
            ${t("tracking.number.delete")}</button></td>`}</tr>`)}</tbody>
      </table>
      ${saved && html`<p class="note" role="status" id="number-saved">${saved}</p>`}`}
    ${editable && html`<${NumberForm} site=${site} channels=${channels} onAdded=${load} />
      <${BulkForm} site=${site} onAdded=${load} />`}
  </section>`;
}
