// The console's text in English and Russian, and dates, numbers and money in the user's locale.
// The language is the user's choice (stored in this browser) or else the browser's (its Accept-Language).

const MESSAGES = {
  en: {
    "app.title": "calltrack",
    "login.title": "Sign in",
    "login.login": "Login or e-mail",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.wrong": "Wrong login or password.",
    "login.tooMany": "Too many attempts, try again in {seconds} s.",
    "login.failed": "Cannot sign in: {message}",
    "nav.dashboard": "Dashboard",
    "nav.calls": "Call log",
    "nav.logout": "Sign out",
    "nav.site": "Site",
    "nav.language": "Language",
    "nav.allSites": "All sites",
    "nav.routing": "Routing",
    "nav.tracking": "Tracking setup",
    "nav.reports": "Reports",
    "nav.deliveries": "Deliveries",
    "nav.users": "Users and access",
    "nav.account": "Your account and password",
    "common.loading": "Loading…",
    "common.error": "Something went wrong: {message}",
    "common.forbidden": "You have no access to this.",
    "common.from": "From",
    "common.to": "To",
    "common.apply": "Apply",
    "common.none": "—",
    "common.save": "Save",
    "common.saved": "Saved.",
    "sites.none": "No sites yet. An owner or admin adds one under Tracking setup (POST /v1/sites).",
    "dash.title": "Dashboard",
    "dash.calls": "Calls",
    "dash.targetCalls": "Target calls",
    "dash.unanswered": "Unanswered",
    "dash.conversion": "Conversion",
    "dash.costPerTarget": "Cost per target call",
    "dash.byChannel": "By channel",
    "dash.channel": "Channel",
    "dash.byHour": "Calls by hour of day ({zone})",
    "dash.byHourCapped": "From the latest {count} calls of the period.",
    "dash.pool": "Number pool",
    "dash.poolSize": "Pool size",
    "dash.peakLeased": "Peak numbers leased",
    "dash.peakSessions": "Peak concurrent visits",
    "dash.exhausted": "Minutes with the pool exhausted",
    "dash.noNumber": "Visits left without a number",
    "dash.unattributed": "Unattributed calls",
    "dash.advice.none": "No dynamic pool on this site.",
    "dash.advice.grow": "The pool ran out for {minutes} min: add at least {more} numbers.",
    "dash.advice.ok": "The pool was large enough: at most {peak} of {size} numbers were in use.",
    "dash.empty": "No calls in this period. Calls appear here once a tracked number rings.",
    "calls.title": "Call log",
    "calls.site": "Site",
    "calls.class": "Class",
    "calls.channel": "Channel id",
    "calls.campaign": "Campaign",
    "calls.manager": "Manager id",
    "calls.caller": "Caller number",
    "calls.any": "Any",
    "calls.time": "Started",
    "calls.number": "Tracked number",
    "calls.source": "Source",
    "calls.duration": "Talk",
    "calls.more": "Show more",
    "calls.csv": "Export CSV",
    "calls.empty": "No calls match these filters.",
    "calls.anonymous": "anonymous",
    "class.target": "target",
    "class.non_target": "non-target",
    "class.unanswered": "unanswered",
    "call.title": "Call {id}",
    "call.back": "Back to the call log",
    "call.summary": "Summary",
    "call.attribution": "Attribution",
    "call.lastTouch": "Last touch (credited)",
    "call.firstTouch": "First touch",
    "call.method": "Attributed by",
    "call.channel": "Channel",
    "call.utm": "UTM",
    "call.keyword": "Keyword",
    "call.landing": "Landing page",
    "call.clickIds": "Click ids",
    "call.clientId": "Visitor",
    "call.timeline": "Dial attempts",
    "call.attempt": "Attempt {n}: {destination}",
    "call.recording": "Recording",
    "call.noRecording": "No recording.",
    "call.deal": "Deal amount",
    "call.reclassify": "Re-classify this site's calls",
    "call.reclassified": "{count} calls re-classified.",
    "call.caller": "Caller",
    "call.called": "Called",
    "call.state": "State",
    "call.ring": "Ring",
    "call.reason": "Why this class",
    "call.firstTime": "First-time caller",
    "call.repeat": "Repeat call",
    "common.yes": "yes",
    "common.no": "no",
    "common.seconds": "{n} s",
  },
  ru: {
    "app.title": "calltrack",
    "login.title": "Вход",
    "login.login": "Логин или e-mail",
    "login.password": "Пароль",
    "login.submit": "Войти",
    "login.wrong": "Неверный логин или пароль.",
    "login.tooMany": "Слишком много попыток, повторите через {seconds} с.",
    "login.failed": "Не удалось войти: {message}",
    "nav.dashboard": "Сводка",
    "nav.calls": "Журнал звонков",
    "nav.logout": "Выйти",
    "nav.site": "Сайт",
    "nav.language": "Язык",
    "nav.allSites": "Все сайты",
    "nav.routing": "Маршрутизация",
    "nav.tracking": "Настройка отслеживания",
    "nav.reports": "Отчёты",
    "nav.deliveries": "Выгрузки",
    "nav.users": "Пользователи и доступ",
    "nav.account": "Ваша учётная запись и пароль",
    "common.loading": "Загрузка…",
    "common.error": "Что-то пошло не так: {message}",
    "common.forbidden": "У вас нет доступа к этому.",
    "common.from": "С",
    "common.to": "По",
    "common.apply": "Применить",
    "common.none": "—",
    "common.save": "Сохранить",
    "common.saved": "Сохранено.",
    "sites.none": "Сайтов пока нет. Владелец или администратор добавляет сайт в настройках отслеживания (POST /v1/sites).",
    "dash.title": "Сводка",
    "dash.calls": "Звонки",
    "dash.targetCalls": "Целевые звонки",
    "dash.unanswered": "Пропущенные",
    "dash.conversion": "Конверсия",
    "dash.costPerTarget": "Цена целевого звонка",
    "dash.byChannel": "По каналам",
    "dash.channel": "Канал",
    "dash.byHour": "Звонки по часам ({zone})",
    "dash.byHourCapped": "По последним {count} звонкам периода.",
    "dash.pool": "Пул номеров",
    "dash.poolSize": "Номеров в пуле",
    "dash.peakLeased": "Пик занятых номеров",
    "dash.peakSessions": "Пик одновременных визитов",
    "dash.exhausted": "Минут без свободных номеров",
    "dash.noNumber": "Визитов без номера",
    "dash.unattributed": "Звонков без источника",
    "dash.advice.none": "У сайта нет динамического пула.",
    "dash.advice.grow": "Номера заканчивались на {minutes} мин: добавьте не меньше {more}.",
    "dash.advice.ok": "Пула хватало: занято не больше {peak} из {size} номеров.",
    "dash.empty": "За этот период звонков нет. Они появятся, как только позвонят на отслеживаемый номер.",
    "calls.title": "Журнал звонков",
    "calls.site": "Сайт",
    "calls.class": "Класс",
    "calls.channel": "Id канала",
    "calls.campaign": "Кампания",
    "calls.manager": "Id менеджера",
    "calls.caller": "Номер звонящего",
    "calls.any": "Любой",
    "calls.time": "Начало",
    "calls.number": "Номер отслеживания",
    "calls.source": "Источник",
    "calls.duration": "Разговор",
    "calls.more": "Показать ещё",
    "calls.csv": "Выгрузить CSV",
    "calls.empty": "Нет звонков с такими условиями.",
    "calls.anonymous": "скрытый номер",
    "class.target": "целевой",
    "class.non_target": "нецелевой",
    "class.unanswered": "пропущенный",
    "call.title": "Звонок {id}",
    "call.back": "К журналу звонков",
    "call.summary": "Кратко",
    "call.attribution": "Источник",
    "call.lastTouch": "Последнее касание (засчитано)",
    "call.firstTouch": "Первое касание",
    "call.method": "Как определён",
    "call.channel": "Канал",
    "call.utm": "UTM",
    "call.keyword": "Ключевое слово",
    "call.landing": "Страница входа",
    "call.clickIds": "Id кликов",
    "call.clientId": "Посетитель",
    "call.timeline": "Попытки дозвона",
    "call.attempt": "Попытка {n}: {destination}",
    "call.recording": "Запись",
    "call.noRecording": "Записи нет.",
    "call.deal": "Сумма сделки",
    "call.reclassify": "Переклассифицировать звонки сайта",
    "call.reclassified": "Переклассифицировано звонков: {count}.",
    "call.caller": "Кто звонил",
    "call.called": "Куда звонил",
    "call.state": "Состояние",
    "call.ring": "Ожидание",
    "call.reason": "Почему этот класс",
    "call.firstTime": "Звонит впервые",
    "call.repeat": "Повторный звонок",
    "common.yes": "да",
    "common.no": "нет",
    "common.seconds": "{n} с",
  },
};

export const LANGUAGES = ["en", "ru"];

/**
 * A page's own text, kept in its module: {@code {en: {...}, ru: {...}}}, merged in when the module loads (a page
 * is loaded before it renders). A key already taken is a mistake in the console, so it fails loudly.
 */
export function addMessages(messages) {
  for (const lang of LANGUAGES) {
    for (const [key, text] of Object.entries(messages[lang] || {})) {
      if (key in MESSAGES[lang]) throw new Error(`console text ${key} (${lang}) is defined twice`);
      MESSAGES[lang][key] = text;
    }
  }
}
const STORED = "calltrack.lang";

function browserLanguage() {
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const lang = tag.slice(0, 2).toLowerCase();
    if (LANGUAGES.includes(lang)) return lang;
  }
  return "en";
}

let current = LANGUAGES.includes(localStorage.getItem(STORED)) ? localStorage.getItem(STORED) : browserLanguage();
document.documentElement.lang = current;

export function language() {
  return current;
}

/** The user's switch: kept in this browser. */
export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  current = lang;
  localStorage.setItem(STORED, lang);
  document.documentElement.lang = lang;
}

/** The text for {@code key} in the current language, with {name} placeholders filled in. */
export function t(key, params = {}) {
  const text = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** The locale for numbers and dates: the browser's own when it speaks the chosen language, else the language. */
function locale() {
  const own = navigator.language || current;
  return own.toLowerCase().startsWith(current) ? own : current;
}

export function formatNumber(n, digits = 0) {
  if (n === null || n === undefined) return t("common.none");
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

export function formatPercent(ratio) {
  if (ratio === null || ratio === undefined) return t("common.none");
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

/** An amount in the installation's currency, which the API does not name: grouped and two decimals, no symbol. */
export function formatMoney(amount) {
  return amount === null || amount === undefined ? t("common.none") : formatNumber(Number(amount), 2);
}

/** An instant shown in {@code zone} (the site's), e.g. "2 Mar 2026, 14:05". */
export function formatDateTime(instant, zone) {
  if (!instant) return t("common.none");
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short", timeZone: zone || undefined })
    .format(new Date(instant));
}

/** Seconds (a duration, or a place in a recording) as 0:07, 12:30 or 1:02:03; a fraction is dropped. */
export function formatClock(seconds) {
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600), m = Math.floor(whole / 60) % 60, s = whole % 60;
  const two = n => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function formatSeconds(s) {
  return s === null || s === undefined ? t("common.none") : t("common.seconds", { n: formatNumber(s) });
}
