// Sign in with a login (or e-mail) and password: POST /v1/session sets the session cookie.
import { html, useState } from "../vendor.js";
import { api } from "../api.js";
import { t } from "../i18n.js";

function message(e) {
  if (e.status === 401 || e.status === 403) return t("login.wrong");
  if (e.status === 429) return t("login.tooMany", { seconds: e.retryAfter ?? 60 });
  return t("login.failed", { message: e.message });
}

export function Login({ onSignedIn }) {
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(login.trim(), password));
    } catch (err) {
      setError(message(err));
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return html`<form class="login" id="login-form" onSubmit=${submit}>
    <h1>${t("login.title")}</h1>
    <label for="login">${t("login.login")}</label>
    <input id="login" name="login" autocomplete="username" required value=${login}
        onInput=${e => setLogin(e.target.value)} />
    <label for="password">${t("login.password")}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required value=${password}
        onInput=${e => setPassword(e.target.value)} />
    ${error && html`<p class="error" id="login-error" role="alert">${error}</p>`}
    <button type="submit" disabled=${busy}>${t("login.submit")}</button>
  </form>`;
}
