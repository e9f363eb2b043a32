// API tokens (GET/POST/DELETE /v1/tokens): one's own, or, for the owner, everyone's. A new token is shown once,
// in the answer that creates it; the list shows the tokens still valid, with when each was last used.
import { html, useState, useEffect } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages, formatDateTime } from "../i18n.js";

addMessages({
  en: {
    "tokens.title": "API tokens",
    "tokens.intro": "A token lets a script use the API as its user (header Authorization: Bearer …), with the same sites or fewer.",
    "tokens.name": "Name",
    "tokens.user": "For user",
    "tokens.site": "Sites",
    "tokens.allSites": "All of the user's sites",
    "tokens.readOnly": "Read-only",
    "tokens.create": "Create token",
    "tokens.created": "Token “{name}” created. Copy it now: it is not shown again.",
    "tokens.value": "Token",
    "tokens.done": "I have copied it",
    "tokens.lastUsed": "Last used",
    "tokens.createdAt": "Created",
    "tokens.never": "never",
    "tokens.revoke": "Revoke",
    "tokens.revoked": "Token “{name}” revoked: it no longer works.",
    "tokens.empty": "No API tokens. Create one above for a script or an integration.",
  },
  ru: {
    "tokens.title": "API-токены",
    "tokens.intro": "Токен даёт скрипту доступ к API от имени пользователя (заголовок Authorization: Bearer …), к тем же сайтам или части их.",
    "tokens.name": "Название",
    "tokens.user": "Пользователь",
    "tokens.site": "Сайты",
    "tokens.allSites": "Все сайты пользователя",
    "tokens.readOnly": "Только чтение",
    "tokens.create": "Создать токен",
    "tokens.created": "Токен «{name}» создан. Скопируйте его сейчас: больше он показан не будет.",
    "tokens.value": "Токен",
    "tokens.done": "Я скопировал токен",
    "tokens.lastUsed": "Последнее использование",
    "tokens.createdAt": "Создан",
    "tokens.never": "ещё не использовался",
    "tokens.revoke": "Отозвать",
    "tokens.revoked": "Токен «{name}» отозван и больше не действует.",
    "tokens.empty": "API-токенов нет. Создайте токен выше для скрипта или интеграции.",
  },
});

const NO_TOKEN = { name: "", userId: "", site: "", readOnly: false };

function TokenForm({ session, sites, users, onCreated }) {
  const [draft, setDraft] = useState(NO_TOKEN);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (name, v) => setDraft({ ...draft, [name]: v });

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    try {
      const body = { name: draft.name.trim(), readOnly: draft.readOnly };
      if (draft.userId && Number(draft.userId) !== session.userId) body.userId = Number(draft.userId);
      if (draft.site) body.onlySites = [Number(draft.site)];
      onCreated(await api.createToken(body));
      setDraft(NO_TOKEN);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return html`<form class="filters" id="token-form" onSubmit=${submit}>
    <label>${t("tokens.name")}<input id="token-name" required maxlength="100" value=${draft.name}
        onInput=${e => set("name", e.target.value)} /></label>
    ${users && html`<label>${t("tokens.user")}
      <select id="token-user" value=${draft.userId || String(session.userId)} onChange=${e => set("userId", e.target.value)}>
        ${users.filter(u => !u.disabled).map(u => html`<option value=${String(u.id)}>${u.login}</option>`)}
      </select></label>`}
    <label>${t("tokens.site")}
      <select id="token-site" value=${draft.site} onChange=${e => set("site", e.target.value)}>
        <option value="">${t("tokens.allSites")}</option>
        ${sites.map(s => html`<option value=${String(s.id)}>${s.name}</option>`)}
      </select></label>
    <label class="check"><input type="checkbox" id="token-readonly" checked=${draft.readOnly}
        onChange=${e => set("readOnly", e.target.checked)} />${t("tokens.readOnly")}</label>
    <button type="submit" disabled=${busy}>${t("tokens.create")}</button>
    ${error && html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`}
  </form>`;
}

/** The token just created, shown this once. */
function CreatedToken({ token, onDone }) {
  return html`<div class="once" id="token-created" role="status">
    <p>${t("tokens.created", { name: token.name })}</p>
    <label>${t("tokens.value")}<input id="token-value" readonly value=${token.token}
        onFocus=${e => e.target.select()} /></label>
    <button type="button" id="token-done" onClick=${onDone}>${t("tokens.done")}</button>
  </div>`;
}

/** {@code users}: the owner's list of users, to issue a token for one of them and see everyone's; else one's own. */
export function Tokens({ session, sites, users }) {
  const all = Boolean(users);
  const [tokens, setTokens] = useState(null);
  const [created, setCreated] = useState(null);
  const [note, setNote] = useState(null);
  const [error, setError] = useState(null);
  const siteName = id => (sites.find(s => s.id === id) || { name: "#" + id }).name;

  const load = () => api.tokens(all).then(list => { setTokens(list.filter(tk => !tk.revokedAt)); setError(null); },
    setError);
  useEffect(() => { load(); }, [all]);

  async function revoke(token) {
    try {
      await api.revokeToken(token.id);
      setNote(t("tokens.revoked", { name: token.name }));
      await load();
    } catch (err) {
      setError(err);
    }
  }

  return html`<section id="tokens">
    <h2>${t("tokens.title")}</h2>
    <p class="note">${t("tokens.intro")}</p>
    <${TokenForm} session=${session} sites=${sites} users=${users}
        onCreated=${tk => { setCreated(tk); setNote(null); load(); }} />
    ${created && html`<${CreatedToken} token=${created} onDone=${() => setCreated(null)} />`}
    ${note && html`<p class="note" role="status">${note}</p>`}
    ${error && html`<p class="error" role="alert">${t("common.error", { message: error.message })}</p>`}
    ${tokens && tokens.length === 0 && html`<p class="empty">${t("tokens.empty")}</p>`}
    ${tokens && tokens.length > 0 && html`<table class="data" id="token-list">
      <thead><tr><th>${t("tokens.name")}</th>${all && html`<th>${t("tokens.user")}</th>`}<th>${t("tokens.site")}</th>
        <th>${t("tokens.readOnly")}</th><th>${t("tokens.createdAt")}</th><th>${t("tokens.lastUsed")}</th><th></th></tr></thead>
      <tbody>${tokens.map(tk => html`<tr data-token=${tk.id}>
        <td>${tk.name}</td>${all && html`<td>${tk.login}</td>`}
        <td>${tk.onlySites ? tk.onlySites.map(siteName).join(", ") || t("common.none") : t("tokens.allSites")}</td>
        <td>${tk.readOnly ? t("common.yes") : t("common.no")}</td>
        <td>${formatDateTime(tk.createdAt)}</td>
        <td>${tk.lastUsedAt ? formatDateTime(tk.lastUsedAt) : t("tokens.never")}</td>
        <td><button type="button" class="revoke" aria-label=${t("tokens.revoke") + " " + tk.name}
            onClick=${() => revoke(tk)}>${t("tokens.revoke")}</button></td></tr>`)}</tbody></table>`}
  </section>`;
}
