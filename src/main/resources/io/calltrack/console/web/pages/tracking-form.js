// What the tracking setup's forms share: a labelled field, a form's values as one object, and how an API refusal
// is said to the user.
import { html, useState } from "../vendor.js";
import { t } from "../i18n.js";

/** A labelled input (or textarea, select: {@code as}); {@code hint} is read with it (aria-describedby). */
export function Field({ id, label, hint, as = "input", children, ...input }) {
  const described = hint ? id + "-hint" : undefined;
  const control = as === "textarea"
    ? html`<textarea id=${id} aria-describedby=${described} ...${input}></textarea>`
    : as === "select"
      ? html`<select id=${id} aria-describedby=${described} ...${input}>${children}</select>`
      : html`<input id=${id} aria-describedby=${described} ...${input} />`;
  return html`<div class="field"><label for=${id}>${label}</label>${control}
    ${hint && html`<small class="hint" id=${described}>${hint}</small>`}</div>`;
}

/**
 * A form's values and a setter per field: {@code bind("name")} gives an input its value and its handlers (a select
 * reports its choice as a change).
 */
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const set = (key, value) => setValues(v => ({ ...v, [key]: value }));
  const bind = key => {
    const on = e => set(key, e.target.value);
    return { value: values[key] ?? "", onInput: on, onChange: on };
  };
  return { values, setValues, set, bind };
}

/** Why the server refused, as the user reads it. */
export function errorText(e) {
  return e.status === 403 ? t("common.forbidden") : t("common.error", { message: e.message });
}

/** A form's outcome under it: saved, or the server's refusal (announced). */
export function Outcome({ id, outcome }) {
  if (!outcome) return null;
  return outcome.error
    ? html`<p class="error" role="alert" id=${id}>${outcome.error}</p>`
    : html`<p class="note" role="status" id=${id}>${outcome.note}</p>`;
}

/** "a, b\nc" -> ["a", "b", "c"]: a list typed one a line (or comma-separated). */
export function lines(text) {
  return (text || "").split(/[\s,]+/).map(s => s.trim()).filter(Boolean);
}

/** An optional text field: empty is absent. */
export function optional(text) {
  const v = (text ?? "").trim();
  return v === "" ? null : v;
}

/** An optional number field: empty takes the server's default. */
export function optionalNumber(text) {
  const v = String(text ?? "").trim();
  return v === "" ? null : Number(v);
}
