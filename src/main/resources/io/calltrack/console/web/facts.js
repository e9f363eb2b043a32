// A page's table of facts (a call's summary, a touch, a visit): one labelled row each, and the pieces two pages show
// alike.
import { html } from "./vendor.js";

export function Row({ label, children }) {
  return html`<tr><th scope="row">${label}</th><td>${children}</td></tr>`;
}

const UTM = ["source", "medium", "campaign", "term", "content"];

/** A touch's or a visit's UTM parameters on one line ("source=yandex, medium=cpc"); "" when it has none. */
export function utmLine(utm) {
  return UTM.filter(k => utm && utm[k]).map(k => `${k}=${utm[k]}`).join(", ");
}
