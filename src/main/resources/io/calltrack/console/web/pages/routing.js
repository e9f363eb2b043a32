// Routing (GET /v1/sites/{id}/routing and its single edits): departments and managers, the rules in order with
// their editor, the schedule in the site's time zone, the overflow chain, and "who gets this call?"
// (POST /v1/sites/{id}/routing/simulate, the real engine). A refused edit shows the server's message at the field
// its "field" names.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages, formatDateTime, formatSeconds } from "../i18n.js";

addMessages({
  en: {
    "routing.title": "Routing",
    "routing.now": "Now at the site: {time} ({zone})",
    "routing.departments": "Departments and managers",
    "routing.noDepartments": "No departments yet. Add a manager below: a new department name creates the department.",
    "routing.manager": "Manager",
    "routing.dialString": "Dial string (Asterisk)",
    "routing.sipUri": "SIP URI (redirect)",
    "routing.ringTimeout": "Ring timeout, s",
    "routing.active": "Active",
    "routing.reachable": "Reachable",
    "routing.notProbed": "not probed",
    "routing.addManager": "Add a manager",
    "routing.department": "Department",
    "routing.name": "Name",
    "routing.add": "Add",
    "routing.rules": "Rules, in the order they are tried",
    "routing.noRules": "No rules yet: every call goes to the fallback. Add the first rule with the editor below.",
    "routing.enabled": "Enabled",
    "routing.up": "Move up",
    "routing.down": "Move down",
    "routing.edit": "Edit",
    "routing.delete": "Delete",
    "routing.newRule": "New rule",
    "routing.editRule": "Rule {n}",
    "routing.conditions": "When the call…",
    "routing.numbers": "Tracked numbers (comma-separated)",
    "routing.channels": "Channels",
    "routing.campaigns": "Campaigns",
    "routing.sources": "Sources",
    "routing.callerPrefixes": "Caller number starts with",
    "routing.caller": "Caller",
    "routing.caller.any": "any",
    "routing.caller.first_time": "calls for the first time",
    "routing.caller.repeat": "has called before",
    "routing.schedule": "Schedule (site time, {zone})",
    "routing.days": "Days (none: every day)",
    "routing.hours": "Hours, e.g. 09:00-18:00 (comma-separated; none: all day)",
    "routing.holidays": "Holidays, YYYY-MM-DD (closed all day)",
    "routing.then": "Then ring",
    "routing.strategy": "Strategy",
    "routing.strategy.sticky": "sticky (repeat caller to their last manager)",
    "routing.strategy.round_robin": "round robin",
    "routing.strategy.least_recently_called": "least recently called",
    "routing.strategy.ring_all": "ring all",
    "routing.overflow": "If nobody answers (overflow, in order)",
    "routing.step": "Step {n}",
    "routing.kind.department": "department",
    "routing.kind.external": "external number",
    "routing.kind.voicemail": "voicemail",
    "routing.destination": "Destination",
    "routing.timeout": "Ring, s",
    "routing.addStep": "Add a step",
    "routing.removeStep": "Remove step {n}",
    "routing.save": "Save rule",
    "routing.cancel": "Cancel",
    "routing.anything": "any call",
    "routing.always": "always open",
    "routing.refused": "Not saved: {message}",
    "routing.who": "Who gets this call?",
    "routing.trackedNumber": "Tracked number",
    "routing.callerNumber": "Caller number (empty: anonymous)",
    "routing.at": "Time (site time, {zone}; empty: now)",
    "routing.ask": "Ask",
    "routing.rule": "Rule",
    "routing.noRule": "no rule matches: the fallback",
    "routing.localTime": "Site time",
    "routing.closedHours": "closed hours",
    "routing.verdicts": "How each rule judged it",
    "routing.conditionsMatch": "Conditions",
    "routing.scheduleOpen": "Schedule open",
    "routing.chosen": "Chosen",
    "routing.plan": "Dial plan, if nobody answers",
    "routing.ring": "rings {seconds}",
  },
  ru: {
    "routing.title": "Маршрутизация",
    "routing.now": "Сейчас на сайте: {time} ({zone})",
    "routing.departments": "Отделы и менеджеры",
    "routing.noDepartments": "Отделов пока нет. Добавьте менеджера ниже: новое название отдела создаёт отдел.",
    "routing.manager": "Менеджер",
    "routing.dialString": "Строка набора (Asterisk)",
    "routing.sipUri": "SIP URI (переадресация)",
    "routing.ringTimeout": "Время вызова, с",
    "routing.active": "Активен",
    "routing.reachable": "Доступен",
    "routing.notProbed": "не проверялся",
    "routing.addManager": "Добавить менеджера",
    "routing.department": "Отдел",
    "routing.name": "Имя",
    "routing.add": "Добавить",
    "routing.rules": "Правила в порядке проверки",
    "routing.noRules": "Правил пока нет: все звонки идут на резервный номер. Добавьте первое правило в редакторе ниже.",
    "routing.enabled": "Включено",
    "routing.up": "Выше",
    "routing.down": "Ниже",
    "routing.edit": "Изменить",
    "routing.delete": "Удалить",
    "routing.newRule": "Новое правило",
    "routing.editRule": "Правило {n}",
    "routing.conditions": "Когда звонок…",
    "routing.numbers": "Отслеживаемые номера (через запятую)",
    "routing.channels": "Каналы",
    "routing.campaigns": "Кампании",
    "routing.sources": "Источники",
    "routing.callerPrefixes": "Номер звонящего начинается с",
    "routing.caller": "Звонящий",
    "routing.caller.any": "любой",
    "routing.caller.first_time": "звонит впервые",
    "routing.caller.repeat": "звонил раньше",
    "routing.schedule": "Расписание (время сайта, {zone})",
    "routing.days": "Дни (не выбраны: каждый день)",
    "routing.hours": "Часы, например 09:00-18:00 (через запятую; пусто: весь день)",
    "routing.holidays": "Праздники, ГГГГ-ММ-ДД (закрыто весь день)",
    "routing.then": "Куда звонить",
    "routing.strategy": "Стратегия",
    "routing.strategy.sticky": "закрепление (повторный звонящий — своему менеджеру)",
    "routing.strategy.round_robin": "по кругу",
    "routing.strategy.least_recently_called": "кому звонили давнее всех",
    "routing.strategy.ring_all": "всем сразу",
    "routing.overflow": "Если никто не ответил (по порядку)",
    "routing.step": "Шаг {n}",
    "routing.kind.department": "отдел",
    "routing.kind.external": "внешний номер",
    "routing.kind.voicemail": "голосовая почта",
    "routing.destination": "Куда",
    "routing.timeout": "Вызов, с",
    "routing.addStep": "Добавить шаг",
    "routing.removeStep": "Удалить шаг {n}",
    "routing.save": "Сохранить правило",
    "routing.cancel": "Отмена",
    "routing.anything": "любой звонок",
    "routing.always": "открыто всегда",
    "routing.refused": "Не сохранено: {message}",
    "routing.who": "Кому попадёт этот звонок?",
    "routing.trackedNumber": "Отслеживаемый номер",
    "routing.callerNumber": "Номер звонящего (пусто: скрытый)",
    "routing.at": "Время (время сайта, {zone}; пусто: сейчас)",
    "routing.ask": "Проверить",
    "routing.rule": "Правило",
    "routing.noRule": "ни одно правило не подходит: резервный номер",
    "routing.localTime": "Время сайта",
    "routing.closedHours": "нерабочее время",
    "routing.verdicts": "Как каждое правило оценило звонок",
    "routing.conditionsMatch": "Условия",
    "routing.scheduleOpen": "Расписание открыто",
    "routing.chosen": "Выбрано",
    "routing.plan": "План набора, если никто не ответит",
    "routing.ring": "вызов {seconds}",
  },
});

const DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
const STRATEGIES = ["sticky", "round_robin", "least_recently_called", "ring_all"];
const CALLERS = ["any", "first_time", "repeat"];
const KINDS = ["department", "external", "voicemail"];
const WHEN_LISTS = ["numbers", "channels", "campaigns", "sources", "callerPrefixes"];

const list = text => text.split(",").map(s => s.trim()).filter(Boolean);
const joined = values => (values || []).join(", ");
const yesNo = b => t(b ? "common.yes" : "common.no");

/** Whether the error's field is {@code path} or an element of the list at {@code path}. */
function names(error, path) {
  return Boolean(error && error.field && (error.field === path || error.field.startsWith(path + "[")));
}

/** The server's message without the path it starts with, which the field it is shown at already says. */
function problem(error) {
  const prefix = error.field + ": ";
  return error.field && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** The server's message at the field it names; {@code id} is what the field's aria-describedby points to. */
function FieldError({ error, path, id }) {
  return names(error, path) ? html`<span class="field-error" id=${id} role="alert">${error.message}</span>` : null;
}

/** An instant of a wall-clock time {@code local} ("2026-12-02T10:30") in {@code zone}. */
function instantIn(local, zone) {
  const wall = Date.parse(local + ":00Z");
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(guess)).map(x => [x.type, x.value]));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - shown;
  }
  return new Date(guess).toISOString();
}

function SiteNow({ zone }) {
  const [now, setNow] = useState(new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30000);
    return () => clearInterval(timer);
  }, []);
  return html`<p class="site-now" id="site-now">${t("routing.now", { time: formatDateTime(now, zone), zone })}</p>`;
}

function Departments({ siteId, departments, onChanged }) {
  const [error, setError] = useState(null);
  const [draft, setDraft] = useState({ department: "", name: "", dialString: "", ringTimeoutSeconds: "" });
  const set = (k, v) => setDraft({ ...draft, [k]: v });
  async function toggle(m) {
    try { await api.setManagerActive(m.id, !m.active); setError(null); onChanged(); } catch (e) { setError(e); }
  }
  async function add(e) {
    e.preventDefault();
    try {
      await api.addManager(siteId, { ...draft, ringTimeoutSeconds: draft.ringTimeoutSeconds === "" ? null
        : Number(draft.ringTimeoutSeconds) });
      setDraft({ department: draft.department, name: "", dialString: "", ringTimeoutSeconds: "" });
      setError(null);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }
  // the new manager is the last of its department's list: the server's path names it there
  const at = key => ({ field: error && error.field && error.field.endsWith("." + key) ? key : null,
    message: error && problem(error) });
  const input = (key, label, type = "text") => html`<label>${label}
    <input id=${"new-manager-" + key} type=${type} value=${draft[key]} onInput=${e => set(key, e.target.value)}
      aria-invalid=${names(at(key), key) ? "true" : undefined} aria-describedby=${"new-manager-" + key + "-error"} />
    <${FieldError} error=${at(key)} path=${key} id=${"new-manager-" + key + "-error"} /></label>`;
  return html`<section id="departments">
    <h2>${t("routing.departments")}</h2>
    ${departments.length === 0 && html`<p class="empty">${t("routing.noDepartments")}</p>`}
    ${departments.map(d => html`<table class="data department" data-department=${d.name}>
      <caption>${d.name}</caption>
      <thead><tr><th>${t("routing.manager")}</th><th>${t("routing.dialString")}</th><th>${t("routing.sipUri")}</th>
        <th>${t("routing.ringTimeout")}</th><th>${t("routing.active")}</th><th>${t("routing.reachable")}</th></tr></thead>
      <tbody>${d.managers.map(m => html`<tr data-manager=${m.id}>
        <td>${m.name}</td><td><code>${m.dialString || t("common.none")}</code></td>
        <td><code>${m.sipUri || t("common.none")}</code></td><td class="num">${m.ringTimeoutSeconds}</td>
        <td><label><input type="checkbox" class="manager-active" checked=${m.active} onChange=${() => toggle(m)} />
          <span class="sr-only">${t("routing.active")} ${m.name}</span></label></td>
        <td>${m.reachable === undefined || m.reachable === null ? t("routing.notProbed") : yesNo(m.reachable)}</td>
      </tr>`)}</tbody></table>`)}
    <form class="filters" id="manager-form" onSubmit=${add}>
      <strong>${t("routing.addManager")}</strong>
      ${input("department", t("routing.department"))}
      ${input("name", t("routing.name"))}
      ${input("dialString", t("routing.dialString"))}
      ${input("ringTimeoutSeconds", t("routing.ringTimeout"), "number")}
      <button type="submit">${t("routing.add")}</button>
      ${error && !["department", "name", "dialString", "ringTimeoutSeconds"].some(k => names(at(k), k))
        && html`<p class="error" role="alert">${t("routing.refused", { message: error.message })}</p>`}
    </form>
  </section>`;
}

function summary(rule) {
  const w = rule.when || {};
  const conditions = [...WHEN_LISTS.filter(k => w[k] && w[k].length).map(k => `${t("routing." + k)}: ${joined(w[k])}`),
    ...(w.caller && w.caller !== "any" ? [t("routing.caller." + w.caller)] : [])];
  const s = rule.schedule || {};
  const schedule = [joined(s.days), joined(s.hours), s.holidays && s.holidays.length ? "≠ " + joined(s.holidays) : ""]
    .filter(Boolean).join(" ");
  const then = rule.then || {};
  const overflow = (then.overflow || []).map(o => o.department || o.external || o.voicemail);
  return `${conditions.join("; ") || t("routing.anything")} · ${schedule || t("routing.always")} → `
    + [`${then.department} (${t("routing.strategy." + (then.strategy || "round_robin"))})`, ...overflow].join(" → ");
}

function Rules({ siteId, rules, onChanged, onEdit }) {
  const [error, setError] = useState(null);
  async function run(change) {
    try { await change(); setError(null); onChanged(); } catch (e) { setError(e); }
  }
  const move = (i, by) => run(() => {
    const order = [...rules];
    [order[i], order[i + by]] = [order[i + by], order[i]];
    return api.patchRouting(siteId, { rules: order });
  });
  return html`<section id="rules-section">
    <h2>${t("routing.rules")}</h2>
    ${error && html`<p class="error" role="alert">${t("routing.refused", { message: error.message })}</p>`}
    ${rules.length === 0 ? html`<p class="empty" id="no-rules">${t("routing.noRules")}</p>` : html`<ol id="rules" class="rules">
      ${rules.map((r, i) => html`<li data-rule=${i + 1} class=${r.enabled === false ? "disabled" : ""}>
        <strong class="rule-name">${r.name}</strong> <span class="rule-summary">${summary(r)}</span>
        <span class="rule-actions">
          <label><input type="checkbox" class="rule-enabled" checked=${r.enabled !== false}
            onChange=${e => run(() => api.patchRule(siteId, i + 1, { enabled: e.target.checked }))} />
            ${t("routing.enabled")}</label>
          <button type="button" class="rule-up" disabled=${i === 0} onClick=${() => move(i, -1)}
            aria-label=${t("routing.up") + ": " + r.name}>↑</button>
          <button type="button" class="rule-down" disabled=${i === rules.length - 1} onClick=${() => move(i, 1)}
            aria-label=${t("routing.down") + ": " + r.name}>↓</button>
          <button type="button" class="rule-edit" onClick=${() => onEdit(i + 1)}>${t("routing.edit")}</button>
          <button type="button" class="rule-delete" onClick=${() => run(() => api.deleteRule(siteId, i + 1))}>
            ${t("routing.delete")}</button>
        </span></li>`)}</ol>`}
  </section>`;
}

/** The editor's form values from a stored rule (or a new one), and back. */
function draftOf(rule, departments) {
  const w = (rule && rule.when) || {};
  const s = (rule && rule.schedule) || {};
  const then = (rule && rule.then) || {};
  return {
    name: (rule && rule.name) || "", enabled: !rule || rule.enabled !== false,
    ...Object.fromEntries(WHEN_LISTS.map(k => [k, joined(w[k])])), caller: w.caller || "any",
    days: s.days || [], hours: joined(s.hours), holidays: joined(s.holidays),
    department: then.department || (departments[0] && departments[0].name) || "",
    strategy: then.strategy || "round_robin",
    overflow: (then.overflow || []).map(o => ({ kind: KINDS.find(k => o[k]), value: o.department || o.external
      || o.voicemail, strategy: o.strategy || "round_robin", timeoutSeconds: o.timeoutSeconds ?? "" })),
  };
}

function ruleOf(d) {
  const when = Object.fromEntries(WHEN_LISTS.map(k => [k, list(d[k])]).filter(([, v]) => v.length));
  if (d.caller !== "any") when.caller = d.caller;
  const schedule = { days: d.days, hours: list(d.hours), holidays: list(d.holidays) };
  const hasSchedule = schedule.days.length || schedule.hours.length || schedule.holidays.length;
  return {
    name: d.name, enabled: d.enabled, when: Object.keys(when).length ? when : undefined,
    schedule: hasSchedule ? schedule : undefined,
    then: { department: d.department, strategy: d.strategy, overflow: d.overflow.map(o => o.kind === "department"
      ? { department: o.value, strategy: o.strategy }
      : o.kind === "external" ? { external: o.value, timeoutSeconds: o.timeoutSeconds === "" ? undefined
        : Number(o.timeoutSeconds) } : { voicemail: o.value }) },
  };
}

function RuleEditor({ siteId, zone, n, rule, departments, onSaved, onCancel }) {
  const [d, setD] = useState(draftOf(rule, departments));
  const [error, setError] = useState(null);
  const set = (k, v) => setD({ ...d, [k]: v });
  const setStep = (i, k, v) => set("overflow", d.overflow.map((o, j) => (j === i ? { ...o, [k]: v } : o)));
  // the server names the rule's fields as rules[i].<path>; the editor's fields are named by <path>
  const err = error && { message: problem(error), field: error.field && error.field.replace(/^rules\[\d+\]\.?/, "") };
  const fieldId = path => "rule-" + path.replace(/[^\w]+/g, "-").replace(/-$/, "");
  const attrs = path => ({ id: fieldId(path), "aria-invalid": names(err, path) ? "true" : undefined,
    "aria-describedby": fieldId(path) + "-error" });
  const text = (path, key, label, type = "text") => html`<label>${label}
    <input ...${attrs(path)} type=${type} value=${d[key]} onInput=${e => set(key, e.target.value)} />
    <${FieldError} error=${err} path=${path} id=${fieldId(path) + "-error"} /></label>`;
  const select = (path, value, options, onChange, label) => html`<label>${label}
    <select ...${attrs(path)} value=${value} onChange=${e => onChange(e.target.value)}>
      ${options.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select>
    <${FieldError} error=${err} path=${path} id=${fieldId(path) + "-error"} /></label>`;
  const strategies = STRATEGIES.map(s => [s, t("routing.strategy." + s)]);
  const departmentNames = departments.map(x => [x.name, x.name]);
  const known = ["name", ...WHEN_LISTS.map(k => "when." + k), "when.caller", "schedule.days", "schedule.hours",
    "schedule.holidays", "then.department", "then.strategy",
    ...d.overflow.flatMap((o, i) => ["", ".department", ".external", ".voicemail", ".strategy", ".timeoutSeconds"]
      .map(s => `then.overflow[${i}]${s}`))];

  async function save(e) {
    e.preventDefault();
    try {
      await (n ? api.replaceRule(siteId, n, ruleOf(d)) : api.addRule(siteId, ruleOf(d)));
      setError(null);
      onSaved();
    } catch (x) {
      setError(x);
    }
  }
  return html`<form id="rule-form" class="rule-editor" onSubmit=${save}>
    <h2>${n ? t("routing.editRule", { n }) : t("routing.newRule")}</h2>
    ${err && !known.some(p => names(err, p))
      && html`<p class="error" role="alert" id="rule-error">${t("routing.refused", { message: error.message })}</p>`}
    <div class="filters">
      ${text("name", "name", t("routing.name"))}
      <label><input type="checkbox" id="rule-enabled" checked=${d.enabled}
        onChange=${e => set("enabled", e.target.checked)} /> ${t("routing.enabled")}</label>
    </div>
    <fieldset><legend>${t("routing.conditions")}</legend><div class="filters">
      ${WHEN_LISTS.map(k => text("when." + k, k, t("routing." + k), k === "numbers" || k === "callerPrefixes" ? "tel" : "text"))}
      ${select("when.caller", d.caller, CALLERS.map(c => [c, t("routing.caller." + c)]), v => set("caller", v),
        t("routing.caller"))}
    </div></fieldset>
    <fieldset><legend>${t("routing.schedule", { zone })}</legend>
      <div class="days" role="group" aria-label=${t("routing.days")} id="rule-schedule-days">${t("routing.days")}
        ${DAYS.map(day => html`<label><input type="checkbox" value=${day} name="day" checked=${d.days.includes(day)}
          onChange=${e => set("days", e.target.checked ? DAYS.filter(x => x === day || d.days.includes(x))
            : d.days.filter(x => x !== day))} /> ${day}</label>`)}
        <${FieldError} error=${err} path="schedule.days" id="rule-schedule-days-error" /></div>
      <div class="filters">
        ${text("schedule.hours", "hours", t("routing.hours"))}
        ${text("schedule.holidays", "holidays", t("routing.holidays"))}
      </div></fieldset>
    <fieldset><legend>${t("routing.then")}</legend><div class="filters">
      ${select("then.department", d.department, departmentNames, v => set("department", v), t("routing.department"))}
      ${select("then.strategy", d.strategy, strategies, v => set("strategy", v), t("routing.strategy"))}
    </div></fieldset>
    <fieldset id="overflow"><legend>${t("routing.overflow")}</legend>
      <ol class="overflow">${d.overflow.map((o, i) => {
        const p = `then.overflow[${i}]`;
        return html`<li class="filters" data-step=${i + 1}>
          ${select(p, o.kind, KINDS.map(k => [k, t("routing.kind." + k)]), v => setStep(i, "kind", v),
            t("routing.step", { n: i + 1 }))}
          ${o.kind === "department"
            ? select(`${p}.department`, o.value || "", [["", t("common.none")], ...departmentNames],
                v => setStep(i, "value", v), t("routing.destination"))
            : html`<label>${t("routing.destination")}
                <input ...${attrs(`${p}.${o.kind}`)} value=${o.value || ""} onInput=${e => setStep(i, "value", e.target.value)} />
                <${FieldError} error=${err} path=${`${p}.${o.kind}`} id=${fieldId(`${p}.${o.kind}`) + "-error"} /></label>`}
          ${o.kind === "department" && select(`${p}.strategy`, o.strategy, strategies, v => setStep(i, "strategy", v),
            t("routing.strategy"))}
          ${o.kind === "external" && html`<label>${t("routing.timeout")}
            <input ...${attrs(`${p}.timeoutSeconds`)} type="number" value=${o.timeoutSeconds}
              onInput=${e => setStep(i, "timeoutSeconds", e.target.value)} />
            <${FieldError} error=${err} path=${`${p}.timeoutSeconds`} id=${fieldId(`${p}.timeoutSeconds`) + "-error"} /></label>`}
          <button type="button" class="remove-step" onClick=${() => set("overflow", d.overflow.filter((_, j) => j !== i))}>
            ${t("routing.removeStep", { n: i + 1 })}</button></li>`;
      })}</ol>
      <button type="button" id="add-step" onClick=${() => set("overflow", [...d.overflow,
        { kind: "voicemail", value: "", strategy: "round_robin", timeoutSeconds: "" }])}>${t("routing.addStep")}</button>
    </fieldset>
    <p><button type="submit" id="save-rule">${t("routing.save")}</button>
      ${n && html` <button type="button" onClick=${onCancel}>${t("routing.cancel")}</button>`}</p>
  </form>`;
}

function WhoGetsThisCall({ siteId, zone }) {
  const [q, setQ] = useState({ trackedNumber: "", callerNumber: "", at: "" });
  const [answer, setAnswer] = useState(null);
  const [error, setError] = useState(null);
  const set = (k, v) => setQ({ ...q, [k]: v });
  async function ask(e) {
    e.preventDefault();
    try {
      setAnswer(await api.simulate(siteId, { trackedNumber: q.trackedNumber, callerNumber: q.callerNumber || null,
        at: q.at ? instantIn(q.at, zone) : null }));
      setError(null);
    } catch (x) {
      setError(x);
      setAnswer(null);
    }
  }
  return html`<section id="who">
    <h2>${t("routing.who")}</h2>
    <form class="filters" id="simulate-form" onSubmit=${ask}>
      <label>${t("routing.trackedNumber")}<input id="sim-number" type="tel" required value=${q.trackedNumber}
        onInput=${e => set("trackedNumber", e.target.value)} /></label>
      <label>${t("routing.callerNumber")}<input id="sim-caller" type="tel" value=${q.callerNumber}
        onInput=${e => set("callerNumber", e.target.value)} /></label>
      <label>${t("routing.at", { zone })}<input id="sim-at" type="datetime-local" value=${q.at}
        onInput=${e => set("at", e.target.value)} /></label>
      <button type="submit">${t("routing.ask")}</button>
    </form>
    ${error && html`<p class="error" role="alert" id="sim-error">${error.message}</p>`}
    ${answer && html`<div id="sim-result">
      <table class="facts"><tbody>
        <tr><th scope="row">${t("routing.rule")}</th><td id="sim-rule">${answer.rule || t("routing.noRule")}
          ${answer.closedHours ? " (" + t("routing.closedHours") + ")" : ""}</td></tr>
        <tr><th scope="row">${t("routing.localTime")}</th><td id="sim-local">${answer.localTime} (${answer.zone})</td></tr>
      </tbody></table>
      <h3>${t("routing.plan")}</h3>
      <ol id="sim-attempts">${answer.attempts.map(a => html`<li>
        <strong class="kind">${a.kind}</strong>
        ${" "}<code>${a.endpoints.map(x => x.address).join(" & ")}</code>
        ${" "}${t("routing.ring", { seconds: formatSeconds(a.ringSeconds) })} · ${a.why}</li>`)}</ol>
      <h3>${t("routing.verdicts")}</h3>
      <table class="data" id="sim-rules"><thead><tr><th>${t("routing.rule")}</th><th>${t("routing.enabled")}</th>
        <th>${t("routing.conditionsMatch")}</th><th>${t("routing.scheduleOpen")}</th><th>${t("routing.chosen")}</th></tr></thead>
        <tbody>${answer.rules.map(r => html`<tr class=${r.chosen ? "chosen" : ""}><td>${r.name}</td>
          <td>${yesNo(r.enabled)}</td><td>${yesNo(r.conditionsMatch)}</td><td>${yesNo(r.scheduleOpen)}</td>
          <td>${yesNo(r.chosen)}</td></tr>`)}</tbody></table>
    </div>`}
  </section>`;
}

export default function Routing({ site }) {
  const [doc, setDoc] = useState(null);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(null);
  const [version, setVersion] = useState(0);
  const reload = () => api.routing(site.id).then(x => { setDoc(x); setError(null); }, setError);
  useEffect(() => { reload(); }, [site.id]);

  if (error) {
    return html`<p class="error" role="alert">${error.status === 403 ? t("common.forbidden")
        : t("common.error", { message: error.message })}</p>`;
  }
  if (!doc) return html`<p class="loading">${t("common.loading")}</p>`;
  const zone = site.timeZone;
  const departments = doc.departments || [];
  const rules = doc.rules || [];
  const saved = () => { setEditing(null); setVersion(v => v + 1); reload(); };
  return html`<section class="routing">
    <h1>${t("routing.title")}</h1>
    <${SiteNow} zone=${zone} />
    <${Departments} siteId=${site.id} departments=${departments} onChanged=${reload} />
    <${Rules} siteId=${site.id} rules=${rules} onChanged=${reload} onEdit=${setEditing} />
    <${RuleEditor} key=${(editing || "new") + ":" + version} siteId=${site.id} zone=${zone} n=${editing}
      rule=${editing ? rules[editing - 1] : null} departments=${departments} onSaved=${saved}
      onCancel=${() => setEditing(null)} />
    <${WhoGetsThisCall} siteId=${site.id} zone=${zone} />
  </section>`;
}
