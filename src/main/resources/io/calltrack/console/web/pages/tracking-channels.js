// A site's channels and their matching rules (/v1/sites/{id}/channels): the list, and one form to add a channel
// or change the one chosen from the list.
import { html, useState } from "../vendor.js";
import { api } from "../api.js";
import { t, addMessages } from "../i18n.js";
import { Field, useForm, errorText, Outcome, optional, optionalNumber } from "./tracking-form.js";

addMessages({
  en: {
    "tracking.channels": "Channels",
    "tracking.channels.intro": "A channel is where visitors come from, recognised by the rules below (all the rules it has must match; the lowest priority is tried first). Dynamic channels give each visitor a number from the pool; a static channel has numbers of its own.",
    "tracking.channels.empty": "No channels yet: every call counts as organic or direct. Add one per ad source, e.g. \"Google Ads\" with UTM source google (dynamic), or \"Billboard\" (static) with a number of its own.",
    "tracking.channel.name": "Channel name",
    "tracking.channel.tracking": "Numbers",
    "tracking.channel.dynamic": "dynamic (from the pool)",
    "tracking.channel.static": "static (its own numbers)",
    "tracking.channel.utmSource": "UTM source",
    "tracking.channel.utmMedium": "UTM medium",
    "tracking.channel.utmCampaign": "UTM campaign",
    "tracking.channel.referrer": "Referrer host",
    "tracking.channel.priority": "Priority",
    "tracking.channel.rules": "Rules",
    "tracking.channel.noRules": "no rules (named only)",
    "tracking.channel.add": "Add channel",
    "tracking.channel.save": "Save channel",
    "tracking.channel.edit": "Edit",
    "tracking.channel.delete": "Delete",
    "tracking.channel.confirmDelete": "Delete channel {name}? Its calls keep their history; new visits are no longer recognised as it.",
    "tracking.channel.cancel": "Cancel",
    "tracking.channel.added": "Channel {name} added.",
    "tracking.channel.editing": "Changing channel {name}",
  },
  ru: {
    "tracking.channels": "Каналы",
    "tracking.channels.intro": "Канал — откуда пришёл посетитель, по правилам ниже (должны совпасть все правила канала; первым проверяется наименьший приоритет). Динамический канал выдаёт посетителю номер из пула, у статического свои номера.",
    "tracking.channels.empty": "Каналов пока нет: все звонки считаются органическими или прямыми. Добавьте по каналу на рекламный источник, например «Google Ads» с UTM source google (динамический) или «Билборд» (статический) со своим номером.",
    "tracking.channel.name": "Название канала",
    "tracking.channel.tracking": "Номера",
    "tracking.channel.dynamic": "динамические (из пула)",
    "tracking.channel.static": "статические (свои номера)",
    "tracking.channel.utmSource": "UTM source",
    "tracking.channel.utmMedium": "UTM medium",
    "tracking.channel.utmCampaign": "UTM campaign",
    "tracking.channel.referrer": "Хост источника перехода",
    "tracking.channel.priority": "Приоритет",
    "tracking.channel.rules": "Правила",
    "tracking.channel.noRules": "без правил (только название)",
    "tracking.channel.add": "Добавить канал",
    "tracking.channel.save": "Сохранить канал",
    "tracking.channel.edit": "Изменить",
    "tracking.channel.delete": "Удалить",
    "tracking.channel.confirmDelete": "Удалить канал {name}? История его звонков останется, новые визиты к нему относиться не будут.",
    "tracking.channel.cancel": "Отмена",
    "tracking.channel.added": "Канал {name} добавлен.",
    "tracking.channel.editing": "Изменение канала {name}",
  },
});

const RULES = [["utmSource", "utm_source"], ["utmMedium", "utm_medium"], ["utmCampaign", "utm_campaign"],
  ["referrerHost", "referrer"]];
const EMPTY = { name: "", tracking: "dynamic", utmSource: "", utmMedium: "", utmCampaign: "", referrerHost: "", priority: "" };

function rules(c) {
  const set = RULES.filter(([k]) => c[k]).map(([k, label]) => `${label}=${c[k]}`);
  return set.length ? set.join(", ") : t("tracking.channel.noRules");
}

function bodyOf(v) {
  return { name: v.name, tracking: v.tracking, utmSource: optional(v.utmSource), utmMedium: optional(v.utmMedium),
    utmCampaign: optional(v.utmCampaign), referrerHost: optional(v.referrerHost), priority: optionalNumber(v.priority) };
}

function ChannelForm({ site, editing, onDone }) {
  const form = useForm(editing ? { ...EMPTY, ...Object.fromEntries(Object.entries(editing).map(([k, v]) => [k, v ?? ""])) }
    : EMPTY);
  const [outcome, setOutcome] = useState(null);
  async function submit(e) {
    e.preventDefault();
    try {
      const body = bodyOf(form.values);
      const saved = editing ? await api.saveChannel(site.id, editing.id, body) : await api.createChannel(site.id, body);
      setOutcome({ note: editing ? t("common.saved") : t("tracking.channel.added", { name: saved.name }) });
      if (!editing) form.setValues(EMPTY);
      onDone();
    } catch (err) {
      setOutcome({ error: errorText(err) });
    }
  }
  return html`<form class="setup" id="channel-form" onSubmit=${submit}>
    ${editing && html`<p class="note">${t("tracking.channel.editing", { name: editing.name })}</p>`}
    <div class="field-row">
      <${Field} id="channel-name" label=${t("tracking.channel.name")} required maxlength="100" ...${form.bind("name")} />
      <${Field} id="channel-tracking" as="select" label=${t("tracking.channel.tracking")} ...${form.bind("tracking")}>
        <option value="dynamic">${t("tracking.channel.dynamic")}</option>
        <option value="static">${t("tracking.channel.static")}</option><//>
      <${Field} id="channel-priority" type="number" min="0" max="10000" label=${t("tracking.channel.priority")}
          placeholder="100" ...${form.bind("priority")} />
    </div>
    <div class="field-row">
      <${Field} id="channel-utm-source" label=${t("tracking.channel.utmSource")} ...${form.bind("utmSource")} />
      <${Field} id="channel-utm-medium" label=${t("tracking.channel.utmMedium")} ...${form.bind("utmMedium")} />
      <${Field} id="channel-utm-campaign" label=${t("tracking.channel.utmCampaign")} ...${form.bind("utmCampaign")} />
      <${Field} id="channel-referrer" label=${t("tracking.channel.referrer")} placeholder="yandex.ru"
          ...${form.bind("referrerHost")} />
    </div>
    <p class="actions"><button type="submit" id="channel-submit">
      ${editing ? t("tracking.channel.save") : t("tracking.channel.add")}</button>
      ${editing && html` <button type="button" class="secondary" onClick=${() => onDone()}>${t("tracking.channel.cancel")}</button>`}</p>
    <${Outcome} id="channel-outcome" outcome=${outcome} />
  </form>`;
}

export function Channels({ site, channels, editable, onChanged }) {
  const [editing, setEditing] = useState(null);
  const [error, setError] = useState(null);
  async function remove(c) {
    if (!window.confirm(t("tracking.channel.confirmDelete", { name: c.name }))) return;
    try {
      await api.deleteChannel(site.id, c.id);
      setError(null);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return html`<section class="panel" aria-labelledby="channels-title">
    <h2 id="channels-title">${t("tracking.channels")}</h2>
    <p class="note">${t("tracking.channels.intro")}</p>
    ${channels.length === 0 ? html`<p class="empty" id="channels-empty">${t("tracking.channels.empty")}</p>` : html`
      <table class="data" id="channels">
        <thead><tr><th>${t("tracking.channel.name")}</th><th>${t("tracking.channel.tracking")}</th>
          <th>${t("tracking.channel.rules")}</th><th>${t("tracking.channel.priority")}</th>${editable && html`<th></th>`}</tr></thead>
        <tbody>${channels.map(c => html`<tr data-channel=${c.id}>
          <td>${c.name}</td><td>${t("tracking.channel." + c.tracking)}</td><td>${rules(c)}</td>
          <td class="num">${c.priority}</td>
          ${editable && html`<td class="row-actions">
            <button type="button" class="secondary" onClick=${() => setEditing(c)}>${t("tracking.channel.edit")}</button>
            <button type="button" class="danger" onClick=${() => remove(c)}>${t("tracking.channel.delete")}</button></td>`}
        </tr>`)}</tbody>
      </table>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${editable && html`<${ChannelForm} key=${editing ? editing.id : "new"} site=${site} editing=${editing}
        onDone=${() => { setEditing(null); onChanged(); }} />`}
  </section>`;
}
