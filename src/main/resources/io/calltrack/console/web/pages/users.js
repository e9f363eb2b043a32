// Users and access: the owner's users (role, site grants, disable/enable, password reset), everyone's API tokens,
// and the audit log (owners and admins) with its filters. The server refuses all of it to anyone else; one's own
// password and tokens are on the account page.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { access } from "../access.js";
import { t, addMessages, formatDateTime } from "../i18n.js";
import { browserMidnight } from "../period.js";
import { Tokens } from "./tokens.js";

addMessages({
  en: {
    "users.title": "Users and access",
    "users.users": "Users",
    "users.login": "Login",
    "users.role": "Role",
    "users.status": "Status",
    "users.sites": "Sites",
    "users.you": "(you)",
    "users.active": "active",
    "users.disabled": "disabled",
    "users.disable": "Disable",
    "users.enable": "Enable",
    "users.access": "Edit access",
    "users.reset": "Reset password",
    "users.newPassword": "New password",
    "users.password": "Password",
    "users.passwordRules": "10 to 256 characters, not containing the login.",
    "users.cancel": "Cancel",
    "users.role.owner": "owner",
    "users.roleHelp.owner": "everything, users included",
    "users.role.admin": "admin",
    "users.roleHelp.admin": "every site, no user management",
    "users.role.member": "member",
    "users.roleHelp.member": "only the sites granted below",
    "users.everySite": "every site",
    "users.noSites": "no site yet: edit access to grant one",
    "users.grant.site": "Site",
    "users.grant.role": "Access",
    "users.grant.none": "no access",
    "users.grant.lead": "lead",
    "users.grantHelp.lead": "routing, managers, calls, recordings",
    "users.grant.marketer": "marketer",
    "users.grantHelp.marketer": "channels, numbers, reports, costs, deliveries",
    "users.grant.viewer": "viewer",
    "users.grantHelp.viewer": "read-only",
    "users.grant.recordings": "Recordings",
    "users.grant.short": "{site}: {role}",
    "users.grant.withRecordings": "{site}: {role}, recordings",
    "users.new": "New user",
    "users.create": "Create user",
    "users.created": "User {login} created.",
    "users.changed": "User {login} saved.",
    "users.disabledNote": "User {login} disabled: their sessions have ended and their tokens stopped working.",
    "users.passwordReset": "Password of {login} reset: their sessions have ended.",
    "users.empty": "Only you so far. Add the people who work with calltrack below.",
    "audit.title": "Audit log",
    "audit.who": "Who (login or id)",
    "audit.action": "What (action)",
    "audit.site": "Site",
    "audit.any": "Any",
    "audit.at": "When ({zone})",
    "audit.target": "On",
    "audit.from": "From address",
    "audit.detail": "Detail",
    "audit.more": "Show more",
    "audit.empty": "No entries match these filters. Widen the period or clear a filter.",
  },
  ru: {
    "users.title": "Пользователи и доступ",
    "users.users": "Пользователи",
    "users.login": "Логин",
    "users.role": "Роль",
    "users.status": "Состояние",
    "users.sites": "Сайты",
    "users.you": "(вы)",
    "users.active": "активен",
    "users.disabled": "отключён",
    "users.disable": "Отключить",
    "users.enable": "Включить",
    "users.access": "Изменить доступ",
    "users.reset": "Сбросить пароль",
    "users.newPassword": "Новый пароль",
    "users.password": "Пароль",
    "users.passwordRules": "От 10 до 256 символов, без логина внутри.",
    "users.cancel": "Отмена",
    "users.role.owner": "владелец",
    "users.roleHelp.owner": "всё, включая пользователей",
    "users.role.admin": "администратор",
    "users.roleHelp.admin": "все сайты, без управления пользователями",
    "users.role.member": "участник",
    "users.roleHelp.member": "только сайты, выданные ниже",
    "users.everySite": "все сайты",
    "users.noSites": "сайтов пока нет: выдайте доступ",
    "users.grant.site": "Сайт",
    "users.grant.role": "Доступ",
    "users.grant.none": "нет доступа",
    "users.grant.lead": "руководитель",
    "users.grantHelp.lead": "маршрутизация, менеджеры, звонки, записи",
    "users.grant.marketer": "маркетолог",
    "users.grantHelp.marketer": "каналы, номера, отчёты, расходы, выгрузки",
    "users.grant.viewer": "наблюдатель",
    "users.grantHelp.viewer": "только чтение",
    "users.grant.recordings": "Записи",
    "users.grant.short": "{site}: {role}",
    "users.grant.withRecordings": "{site}: {role}, записи",
    "users.new": "Новый пользователь",
    "users.create": "Создать пользователя",
    "users.created": "Пользователь {login} создан.",
    "users.changed": "Пользователь {login} сохранён.",
    "users.disabledNote": "Пользователь {login} отключён: его сеансы завершены, токены не действуют.",
    "users.passwordReset": "Пароль {login} сброшен: его сеансы завершены.",
    "users.empty": "Пока здесь только вы. Добавьте ниже тех, кто работает с calltrack.",
    "audit.title": "Журнал действий",
    "audit.who": "Кто (логин или id)",
    "audit.action": "Что (действие)",
    "audit.site": "Сайт",
    "audit.any": "Любой",
    "audit.at": "Когда ({zone})",
    "audit.target": "Над чем",
    "audit.from": "С адреса",
    "audit.detail": "Подробности",
    "audit.more": "Показать ещё",
    "audit.empty": "Нет записей с такими условиями. Расширьте период или снимите фильтр.",
  },
});

const ROLES = ["owner", "admin", "member"];
const SITE_ROLES = ["lead", "marketer", "viewer"];
/** Actions to pick from in the filter (the field also takes any other, or a prefix such as "sites.routing"). */
const ACTIONS = ["login", "login.ok", "login.failed", "logout", "password.changed", "user", "user.created",
  "user.changed", "user.password-reset", "grants.changed", "token", "token.created", "token.revoked",
  "recording.played", "sites", "sites.routing.changed", "personal-data.erase.posted", "outbox.resend.posted"];

const roleName = role => t("users.role." + role);
const siteRoleName = role => t("users.grant." + role);
/** An option: the role's name and what it may do. */
const described = (name, help) => `${t(name)}: ${t(help)}`;

function Failure({ error }) {
  return error && html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`;
}

/** Which sites a member may use, as what: one line per site; {@code prefix} keeps the fields' ids apart. */
function GrantEditor({ prefix, sites, grants, onChange }) {
  const of = siteId => grants.find(g => g.siteId === siteId);
  function set(siteId, change) {
    const old = of(siteId) || { siteId, role: "", recordings: false };
    const next = { ...old, ...change };
    onChange([...grants.filter(g => g.siteId !== siteId), ...(next.role ? [next] : [])]
      .sort((a, b) => a.siteId - b.siteId));
  }
  return html`<table class="data grants" id=${prefix + "-grants"}>
    <thead><tr><th>${t("users.grant.site")}</th><th>${t("users.grant.role")}</th>
      <th>${t("users.grant.recordings")}</th></tr></thead>
    <tbody>${sites.map(s => {
      const g = of(s.id);
      return html`<tr>
        <td><label for=${`${prefix}-role-${s.id}`}>${s.name}</label></td>
        <td><select id=${`${prefix}-role-${s.id}`} value=${g ? g.role : ""}
            onChange=${e => set(s.id, { role: e.target.value })}>
          <option value="">${t("users.grant.none")}</option>
          ${SITE_ROLES.map(r => html`<option value=${r}>${described("users.grant." + r, "users.grantHelp." + r)}</option>`)}</select></td>
        <td><input type="checkbox" id=${`${prefix}-rec-${s.id}`} aria-label=${t("users.grant.recordings") + " " + s.name}
            disabled=${!g || g.role === "lead"} checked=${Boolean(g && (g.recordings || g.role === "lead"))}
            onChange=${e => set(s.id, { recordings: e.target.checked })} /></td></tr>`;
    })}</tbody></table>`;
}

function RoleSelect({ id, value, onChange }) {
  return html`<label>${t("users.role")}
    <select id=${id} value=${value} onChange=${e => onChange(e.target.value)}>
      ${ROLES.map(r => html`<option value=${r}>${described("users.role." + r, "users.roleHelp." + r)}</option>`)}</select></label>`;
}

function NewUser({ sites, onCreated }) {
  const empty = { login: "", role: "member", password: "", grants: [] };
  const [draft, setDraft] = useState(empty);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState(null);
  const set = change => setDraft({ ...draft, ...change });

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    try {
      const user = await api.createUser({ ...draft, login: draft.login.trim(),
        grants: draft.role === "member" ? draft.grants : [] });
      setDraft(empty);
      setError(null);
      setNote(t("users.created", { login: user.login }));
      onCreated(user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return html`<form class="stack" id="user-form" onSubmit=${submit}>
    <h2>${t("users.new")}</h2>
    <div class="filters">
      <label>${t("users.login")}<input id="new-login" required maxlength="200" autocomplete="off"
          value=${draft.login} onInput=${e => set({ login: e.target.value })} /></label>
      <${RoleSelect} id="new-role" value=${draft.role} onChange=${role => set({ role })} />
      <label>${t("users.password")}<input id="new-password" type="password" required minlength="10"
          autocomplete="new-password" aria-describedby="new-password-rules" value=${draft.password}
          onInput=${e => set({ password: e.target.value })} /></label>
    </div>
    <p class="note" id="new-password-rules">${t("users.passwordRules")}</p>
    ${draft.role === "member" && html`<${GrantEditor} prefix="new" sites=${sites} grants=${draft.grants}
        onChange=${grants => set({ grants })} />`}
    <${Failure} error=${error} />
    ${note && html`<p class="note" id="user-created" role="status">${note}</p>`}
    <p><button type="submit" disabled=${busy}>${t("users.create")}</button></p>
  </form>`;
}

/** A user's role and grants, saved together. */
function AccessEditor({ user, sites, onSaved, onCancel }) {
  const [role, setRole] = useState(user.role);
  const [grants, setGrants] = useState(user.grants);
  const [error, setError] = useState(null);
  async function save(e) {
    e.preventDefault();
    try {
      if (role !== user.role) await api.changeUser(user.id, { role });
      if (role === "member") await api.setGrants(user.id, grants);
      onSaved(t("users.changed", { login: user.login }));
    } catch (err) {
      setError(err);
    }
  }
  return html`<form class="stack" id="access-form" onSubmit=${save}>
    <${RoleSelect} id="edit-role" value=${role} onChange=${setRole} />
    ${role === "member" && html`<${GrantEditor} prefix="edit" sites=${sites} grants=${grants} onChange=${setGrants} />`}
    <${Failure} error=${error} />
    <p><button type="submit">${t("common.save")}</button>
      <button type="button" class="secondary" onClick=${onCancel}>${t("users.cancel")}</button></p>
  </form>`;
}

function PasswordReset({ user, onSaved, onCancel }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState(null);
  async function save(e) {
    e.preventDefault();
    try {
      await api.changeUser(user.id, { password });
      onSaved(t("users.passwordReset", { login: user.login }));
    } catch (err) {
      setError(err);
    }
  }
  return html`<form class="filters" id="reset-form" onSubmit=${save}>
    <label>${t("users.newPassword")}<input id="reset-password" type="password" required minlength="10"
        autocomplete="new-password" value=${password} onInput=${e => setPassword(e.target.value)} /></label>
    <button type="submit">${t("common.save")}</button>
    <button type="button" class="secondary" onClick=${onCancel}>${t("users.cancel")}</button>
    <p class="note">${t("users.passwordRules")}</p>
    <${Failure} error=${error} />
  </form>`;
}

function grantsText(user, sites) {
  if (user.role !== "member") return t("users.everySite");
  if (user.grants.length === 0) return t("users.noSites");
  const name = id => (sites.find(s => s.id === id) || { name: "#" + id }).name;
  return user.grants.map(g => t(g.recordings && g.role !== "lead" ? "users.grant.withRecordings" : "users.grant.short",
    { site: name(g.siteId), role: siteRoleName(g.role) })).join("; ");
}

function Users({ session, sites, users, reload }) {
  const [open, setOpen] = useState(null); // {id, kind: "access" | "password"}
  const [note, setNote] = useState(null);
  const [error, setError] = useState(null);
  const done = message => { setOpen(null); setNote(message); setError(null); reload(); };

  async function toggle(user) {
    try {
      await api.changeUser(user.id, { disabled: !user.disabled });
      done(user.disabled ? t("users.changed", { login: user.login }) : t("users.disabledNote", { login: user.login }));
    } catch (err) {
      setError(err);
    }
  }

  return html`<section id="users">
    <h2>${t("users.users")}</h2>
    ${note && html`<p class="note" id="users-note" role="status">${note}</p>`}
    <${Failure} error=${error} />
    ${users.length <= 1 && html`<p class="empty">${t("users.empty")}</p>`}
    <table class="data" id="user-list">
      <thead><tr><th>${t("users.login")}</th><th>${t("users.role")}</th><th>${t("users.status")}</th>
        <th>${t("users.sites")}</th><th></th></tr></thead>
      <tbody>${users.map(u => html`
        <tr data-user=${u.login} class=${u.disabled ? "disabled" : ""}>
          <td>${u.login} ${u.id === session.userId && html`<span class="note">${t("users.you")}</span>`}</td>
          <td>${roleName(u.role)}</td>
          <td class="status">${u.disabled ? t("users.disabled") : t("users.active")}</td>
          <td class="sites">${grantsText(u, sites)}</td>
          <td class="actions">
            <button type="button" class="secondary edit-access" onClick=${() => setOpen({ id: u.id, kind: "access" })}>
              ${t("users.access")}</button>
            <button type="button" class="secondary reset" onClick=${() => setOpen({ id: u.id, kind: "password" })}>
              ${t("users.reset")}</button>
            ${u.id !== session.userId && html`<button type="button" class="toggle" onClick=${() => toggle(u)}>
              ${u.disabled ? t("users.enable") : t("users.disable")}</button>`}
          </td></tr>
        ${open && open.id === u.id && html`<tr class="panel"><td colspan="5">
          ${open.kind === "access"
            ? html`<${AccessEditor} user=${u} sites=${sites} onSaved=${done} onCancel=${() => setOpen(null)} />`
            : html`<${PasswordReset} user=${u} onSaved=${done} onCancel=${() => setOpen(null)} />`}
        </td></tr>`}`)}</tbody></table>
  </section>`;
}

const NO_FILTER = { user: "", action: "", site: "", from: "", to: "" };

function auditQuery(f) {
  return { user: f.user.trim(), action: f.action.trim(), site: f.site,
    from: f.from && browserMidnight(f.from), to: f.to && browserMidnight(f.to, 1) };
}

function AuditFilters({ users, sites, onApply }) {
  const [draft, setDraft] = useState(NO_FILTER);
  const set = (name, v) => setDraft({ ...draft, [name]: v });
  const text = (name, label, list) => html`<label>${t(label)}<input id=${"audit-" + name} list=${list}
      value=${draft[name]} onInput=${e => set(name, e.target.value)} /></label>`;
  return html`<form class="filters" id="audit-filters" onSubmit=${e => { e.preventDefault(); onApply(draft); }}>
    ${text("user", "audit.who", "audit-logins")}
    <datalist id="audit-logins">${(users || []).map(u => html`<option value=${u.login} />`)}</datalist>
    ${text("action", "audit.action", "audit-actions")}
    <datalist id="audit-actions">${ACTIONS.map(a => html`<option value=${a} />`)}</datalist>
    <label>${t("audit.site")}<select id="audit-site" value=${draft.site} onChange=${e => set("site", e.target.value)}>
      <option value="">${t("audit.any")}</option>
      ${sites.map(s => html`<option value=${String(s.id)}>${s.name}</option>`)}</select></label>
    <label>${t("common.from")}<input id="audit-from" type="date" value=${draft.from}
        onInput=${e => set("from", e.target.value)} /></label>
    <label>${t("common.to")}<input id="audit-to" type="date" value=${draft.to}
        onInput=${e => set("to", e.target.value)} /></label>
    <button type="submit">${t("common.apply")}</button>
  </form>`;
}

/** The audit log, newest first, a page at a time (the API's nextCursor). */
function Audit({ users, sites, version }) {
  const [filter, setFilter] = useState(NO_FILTER);
  const [items, setItems] = useState([]);
  const [next, setNext] = useState(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const siteName = id => (sites.find(s => s.id === id) || { name: "#" + id }).name;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  async function load(cursor) {
    setLoading(true);
    try {
      const page = await api.audit({ ...auditQuery(filter), cursor });
      setItems(old => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => { load(null); }, [filter, version]);

  return html`<section id="audit">
    <h2>${t("audit.title")}</h2>
    <${AuditFilters} users=${users} sites=${sites} onApply=${setFilter} />
    <${Failure} error=${error} />
    ${!loading && !error && items.length === 0 && html`<p class="empty">${t("audit.empty")}</p>`}
    ${items.length > 0 && html`<table class="data" id="audit-log">
      <thead><tr><th>${t("audit.at", { zone })}</th><th>${t("audit.who")}</th><th>${t("audit.action")}</th>
        <th>${t("audit.site")}</th><th>${t("audit.target")}</th><th>${t("audit.from")}</th>
        <th>${t("audit.detail")}</th></tr></thead>
      <tbody>${items.map(a => html`<tr data-audit=${a.id}>
        <td>${formatDateTime(a.at)}</td><td class="who-did">${a.login}</td><td class="action">${a.action}</td>
        <td>${a.siteId ? siteName(a.siteId) : t("common.none")}</td><td class="target">${a.target}</td>
        <td>${a.remoteAddress}</td>
        <td>${a.detail && Object.keys(a.detail).length > 0
          ? html`<details><summary>${t("audit.detail")}</summary><pre>${JSON.stringify(a.detail, null, 2)}</pre></details>`
          : t("common.none")}</td></tr>`)}</tbody></table>`}
    ${next && html`<button type="button" id="audit-more" disabled=${loading} onClick=${() => load(next)}>
      ${t("audit.more")}</button>`}
  </section>`;
}

export default function UsersPage({ session, sites }) {
  const manages = access.managesUsers(session);
  const [users, setUsers] = useState(null);
  const [error, setError] = useState(null);
  const [version, setVersion] = useState(0); // a change made here: the audit log shows it
  const reload = () => {
    setVersion(v => v + 1);
    if (manages) api.users().then(setUsers, setError);
  };
  useEffect(() => { reload(); }, [manages]);

  return html`<section class="users">
    <h1>${t("users.title")}</h1>
    <${Failure} error=${error} />
    ${manages && users && html`<${Users} session=${session} sites=${sites} users=${users} reload=${reload} />
      <${NewUser} sites=${sites} onCreated=${reload} />`}
    ${manages && users && html`<${Tokens} session=${session} sites=${sites} users=${users} />`}
    ${access.readsAudit(session) && html`<${Audit} users=${users} sites=${sites} version=${version} />`}
  </section>`;
}
