// The libraries the console uses, from their WebJars (the server fills in their versioned folder).
// Pages import them from here only, so a library changes in one place.
import { h } from "@LIB@/preact.js";
import htm from "@LIB@/htm.js";

export { h, render, Fragment } from "@LIB@/preact.js";
export { useState, useEffect, useRef } from "@LIB@/hooks.js";
export { default as uPlot } from "@LIB@/uplot.js";

/** Tagged templates for Preact: html`<p>${text}</p>` (no JSX, so no build step). */
export const html = htm.bind(h);
