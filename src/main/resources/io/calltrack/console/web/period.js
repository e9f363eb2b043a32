// Periods as a site's calendar days (the reports API counts in the site's time zone).

/** Today in {@code zone} as YYYY-MM-DD. */
export function today(zone) {
  return localDate(new Date(), zone);
}

/** The site-local date of an instant. */
export function localDate(instant, zone) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(instant));
}

/** The site-local hour (0-23) of an instant. */
export function localHour(instant, zone) {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" })
    .format(new Date(instant)));
}

export function daysBefore(date, days) {
  const d = new Date(date + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * Instants surely around the site days [from, to] (a day either side covers every time zone), for the calls API,
 * whose from/to are instants; callers keep the calls whose local date is in the period.
 */
export function instantsAround(from, to) {
  return { from: daysBefore(from, 1) + "T00:00:00Z", to: daysBefore(to, -2) + "T00:00:00Z" };
}

/** The period a page shows: its from/to parameters, else the last 30 days of the site. */
export function periodOf(params, zone) {
  const to = params.to || today(zone);
  return { from: params.from || daysBefore(to, 29), to };
}

/** The browser's local midnight of a date (YYYY-MM-DD), {@code days} later, as the instant an API filters on. */
export function browserMidnight(date, days = 0) {
  const d = new Date(date + "T00:00:00");
  d.setDate(d.getDate() + days);
  return d.toISOString();
}
