// One's own account, for every user: changing one's password (PUT /v1/session/password) and one's API tokens.
import { html, useState } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages } from "../i18n.js";
import { Tokens } from "./tokens.js";

addMessages({
  en: {
    "account.title": "Your account: {login}",
    "account.password": "Change your password",
    "account.current": "Current password",
    "account.new": "New password",
    "account.repeat": "New password again",
    "account.rules": "10 to 256 characters, not containing your login.",
    "account.mismatch": "The two new passwords differ.",
    "account.change": "Change password",
    "account.changed": "Password changed. Your other sessions have ended; this one goes on.",
  },
  ru: {
    "account.title": "Ваша учётная запись: {login}",
    "account.password": "Смена пароля",
    "account.current": "Текущий пароль",
    "account.new": "Новый пароль",
    "account.repeat": "Новый пароль ещё раз",
    "account.rules": "От 10 до 256 символов, без вашего логина внутри.",
    "account.mismatch": "Новые пароли не совпадают.",
    "account.change": "Сменить пароль",
    "account.changed": "Пароль изменён. Другие ваши сеансы завершены, этот продолжается.",
  },
});

function PasswordChange() {
  const empty = { current: "", fresh: "", repeat: "" };
  const [draft, setDraft] = useState(empty);
  const [message, setMessage] = useState(null); // {ok, text}
  const [busy, setBusy] = useState(false);
  const field = (name, label, autocomplete) => html`<label for=${"account-" + name}>${t(label)}</label>
    <input id=${"account-" + name} type="password" required autocomplete=${autocomplete} value=${draft[name]}
        onInput=${e => setDraft({ ...draft, [name]: e.target.value })} />`;

  async function submit(e) {
    e.preventDefault();
    if (draft.fresh !== draft.repeat) {
      setMessage({ ok: false, text: t("account.mismatch") });
      return;
    }
    setBusy(true);
    try {
      await api.changePassword(draft.current, draft.fresh);
      setDraft(empty);
      setMessage({ ok: true, text: t("account.changed") });
    } catch (err) {
      setMessage({ ok: false, text: t("common.error", { message: err.message }) });
    } finally {
      setBusy(false);
    }
  }

  return html`<form class="login" id="password-form" onSubmit=${submit}>
    <h2>${t("account.password")}</h2>
    ${field("current", "account.current", "current-password")}
    ${field("fresh", "account.new", "new-password")}
    ${field("repeat", "account.repeat", "new-password")}
    <p class="note">${t("account.rules")}</p>
    ${message && html`<p id="password-message" class=${message.ok ? "note" : "error"}
        role=${message.ok ? "status" : "alert"}>${message.text}</p>`}
    <button type="submit" disabled=${busy}>${t("account.change")}</button>
  </form>`;
}

export default function Account({ session, sites }) {
  return html`<section class="account">
    <h1>${t("account.title", { login: session.login })}</h1>
    <${PasswordChange} />
    <${Tokens} session=${session} sites=${sites} />
  </section>`;
}
