// Texts of the dashboard from the gettext catalogs (federation/i18n/locales/<code>/LC_MESSAGES/arvio.po), read as
// JSON from /i18n/<locale>.json, and locale-aware number formatting. A text the language lacks comes in Finnish:
// t() then returns it as a String carrying .lang ("fi"), and html() in charts.js puts lang="fi" on its element.

// Each text's key and its msgid, marked for extraction (federation/i18n/babel.cfg, `arvio i18n update`).
const N_ = (msgid) => msgid;
const NP_ = (context, msgid) => `${context}\u0004${msgid}`;
const MESSAGES = {
  appName: N_("arvio — analytics"),
  skip: N_("Skip to content"),
  language: N_("Language"),
  accessibilityStatement: N_("Accessibility statement"),
  servicesTitle: N_("Services"),
  servicesIntro: N_("Published customer ratings per service over the last 365 days."),
  orgSignInLink: N_("Organisation sign-in"),
  service: N_("Service"),
  organisation: N_("Organisation"),
  score: N_("Score"),
  answers: N_("Answers"),
  notPublished: N_("not published"),
  loading: N_("Loading…"),
  loadFailed: N_("Loading the figures failed"),
  question: N_("Question"),
  granularity: N_("Period"),
  window: N_("Window"),
  peerScope: N_("Peer group"),
  HOUR: N_("Hour"),
  DAY: N_("Day"),
  WEEK: N_("Week"),
  MONTH: N_("Month"),
  QUARTER: N_("Quarter"),
  NATIONAL: N_("Nationwide"),
  SERVICE_CLASS: N_("Same service class"),
  ORGANISATION_TYPE: N_("Same organisation type"),
  last30: N_("Last 30 days"),
  last90: N_("Last 90 days"),
  last365: N_("Last 365 days"),
  trend: N_("Trend"),
  trendCaption: N_("{metric} per period, 95 % confidence interval shaded"),
  distribution: N_("Distribution"),
  distributionCaption: N_("Answers per value"),
  drivers: N_("Drivers"),
  wentWell: N_("What went well"),
  couldBeBetter: N_("What could be better"),
  toImprove: N_("What should improve"),
  noDrivers: N_("No driver data"),
  heatmap: N_("Rush hours"),
  heatmapCaption: N_("Answers by weekday and hour (Finnish time)"),
  events: N_("You said, we did"),
  eventsInternal: N_("Changes"),
  noEvents: N_("No changes recorded"),
  peers: N_("Comparison"),
  peersCaption: N_("Adjusted average and 95 % interval; services below the publication threshold are not ranked"),
  rank: N_("Rank"),
  tied: N_("tied"),
  shrunkMean: N_("Adjusted average"),
  shrunkMeanHelp: N_("The service's average pulled towards the average of all services, the more the fewer answers it has, so that a handful of answers cannot lift or drop it by chance (a shrunk mean)."),
  intervalHelp: N_("The range that holds the true value with 95 % confidence; the more answers, the narrower it is."),
  percentileHelp: N_("The percentage of the other ranked services that score lower (100 = best)."),
  npsHelp: N_("Net Promoter Score: the share answering 9–10 minus the share answering 0–6, from −100 to +100."),
  significantHelp: N_("The difference is too large to be chance alone (p < 0.05); p is the probability of so large a difference by chance."),
  notPublishedHelp: N_("Figures below the publication threshold are hidden so that no respondent can be singled out and a few answers cannot mislead."),
  alertsHelp: N_("An alert is raised when the daily average stays clearly above or below its earlier level for long enough that the change is unlikely to be chance."),
  terms: N_("What the figures mean"),
  shrunkNps: N_("Adjusted NPS"),
  peersCaptionNps: N_("Adjusted NPS and 95 % interval; services below the publication threshold are not ranked"),
  driverShare: N_("Share of improvement answers citing {driver}"),
  percentile: N_("Percentile"),
  notRanked: N_("not ranked (too few answers)"),
  period: N_("Period"),
  value: N_("Value"),
  interval: N_("95 % interval"),
  count: N_("Count"),
  showTable: N_("Show as a table"),
  keysHelp: N_("Move between points with the arrow keys."),
  weekday: N_("Weekday"),
  hour: N_("Hour"),
  weekdays: [N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")],
  MEAN: N_("Mean"),
  NPS: N_("NPS"),
  YES_SHARE: N_("Yes share"),
  // NPS interpretation bands (federation/scores/nps.py NPS_BAND_LABELS: cut-offs and their source there).
  NEEDS_IMPROVEMENT: N_("Needs improvement"),
  GOOD: N_("Good"),
  GREAT: N_("Great"),
  EXCELLENT: N_("Excellent"),
  difference: N_("Difference"),
  significant: N_("statistically significant"),
  notSignificant: N_("not statistically significant"),
  COMPLETE: "",  // nothing to say about a finished window
  PARTIAL: N_("window still running"),
  PENDING: N_("not in effect yet"),
  INSUFFICIENT_DATA: N_("too few answers"),
  before: N_("before"),
  after: N_("after"),
  publicEvent: N_("public"),
  internalEvent: N_("internal"),
  signInTitle: N_("Sign in as an organisation"),
  tokenLabel: N_("Organisation token"),
  signIn: N_("Sign in"),
  signOut: N_("Sign out"),
  badToken: N_("The token is not valid."),
  notOrganisation: N_("This page is for organisation tokens."),
  yourServices: N_("Your services"),
  alerts: N_("Alerts"),
  noAlerts: N_("No alerts in the last {days} days"),
  alertsIn: N_("Alerts in the last {days} days"),
  tokenHelp: N_("Your organisation gets its token from arvio's operator, who creates it with the command"),
  tokenCommand: N_("arvio token issue --role ORGANISATION --org <business ID> --label <user>"),
  tokenKeep: N_("The token is shown only once: keep it like a password. This page keeps it only for this browser tab."),
  kpis: N_("Volumes and key figures"),
  kpisIntro: N_("Daily volumes reported by the organisation over the chosen window ({from}–{to})"),
  noKpis: N_("No volumes were reported for the service in this window."),
  figure: N_("Figure"),
  meaning: N_("What it means"),
  transactionsCompleted: N_("Completed transactions"),
  transactionsCompletedHelp: N_("Transactions carried through to the end, in every channel."),
  digitalTakeUp: N_("Digital take-up"),
  digitalTakeUpHelp: N_("The share of completed transactions done online."),
  completionRate: N_("Completion rate"),
  completionRateHelp: N_("Completed transactions divided by started ones."),
  contactsReceived: N_("Contacts received"),
  contactsReceivedHelp: N_("Calls, chats and service-point visits."),
  answeredDirectlyShare: N_("Answered directly"),
  answeredDirectlyShareHelp: N_("The share of contacts answered without a callback."),
  callbackShare: N_("Callbacks"),
  callbackShareHelp: N_("The share of contacts handled by calling back."),
  abandonmentRate: N_("Abandoned in the queue"),
  abandonmentRateHelp: N_("The share of contacts where the customer gave up in the queue."),
  firstContactResolution: N_("First-contact resolution"),
  firstContactResolutionHelp: N_("The share of contacts resolved without a callback, transfer or new contact."),
  peakHour: N_("Peak hour"),
  peakHourHelp: N_("The weekday and hour (Finnish time) with the most contacts, and its share of all."),
  backlog: N_("Open e-requests"),
  backlogHelp: N_("E-requests open at the end of the latest reported day."),
  oldestBacklogShare: N_("Open over 14 days"),
  oldestBacklogShareHelp: N_("The share of open e-requests that have been open for more than 14 days."),
  medianWait: N_("Median wait"),
  medianWaitHelp: N_("Half of the contacts answered directly waited at most this long."),
  p90Wait: N_("Wait, 90 %"),
  p90WaitHelp: N_("90 % of the contacts answered directly waited at most this long."),
  coverage: N_("Rating coverage"),
  coverageHelp: N_("Ratings per completed transaction."),
  responseRate: N_("Response rate"),
  responseRateHelp: N_("Questions answered out of those answered or skipped."),
  costPerTransaction: N_("Cost per transaction"),
  costPerTransactionHelp: N_("Reported cost divided by completed transactions."),
  minutes: N_("{value} min"),
  over: N_("over {value} min"),
  freeTexts: N_("Free-text feedback"),
  freeTextsHelp: N_("Feedback in the respondents' own words over the chosen window, oldest first; identity codes and contact details were removed on arrival. Every read is logged."),
  noFreeTexts: N_("No free-text feedback in this window."),
  moreFreeTexts: N_("Show more"),
  unreadable: N_("Unreadable (key destroyed)"),
  answer: N_("Answer"),
  RISE: N_("rise"),
  DROP: N_("drop"),
  alertText: N_("{service} – {question}: {direction} {from} → {to} (from {start}, detected {detected})"),
  recordEvent: N_("Record a change"),
  date: N_("Date"),
  descriptionFi: N_("Description in Finnish"),
  descriptionSv: N_("Description in Swedish"),
  descriptionEn: N_("Description in English"),
  publicCheckbox: N_("Publish in the “you said, we did” log"),
  save: N_("Save"),
  saved: N_("The change was recorded."),
  summary: N_("Organisation summaries"),
  summaryCaption: N_("Answers of published services pooled (volume-weighted)"),
  services: NP_("count", "Services"),
  signedInAs: N_("Signed in: {name}"),
  noData: N_("No answers"),
  feedbackTitle: N_("Feedback"),
  feedbackLink: N_("Feedback and replies"),
  feedbackStatus: N_("Status"),
  RECEIVED: N_("Received"),
  READ: N_("Read"),
  IN_PROGRESS: N_("In progress"),
  ANSWERED: N_("Answered"),
  NO_ACTION: N_("No action"),
  LOW: N_("Low"),
  MID: N_("Middle"),
  HIGH: N_("High"),
  band: N_("Band"),
  all: N_("All"),
  handler: N_("Handler"),
  assign: N_("Assign"),
  notes: N_("Internal notes"),
  addNote: N_("Internal note"),
  publicReply: N_("Public reply"),
  publish: N_("Publish"),
  published: N_("Published"),
  noText: N_("No free text"),
  noFeedback: N_("No feedback with these filters"),
  feedbackThemes: N_("Themes"),
  themeScanNote: N_("The theme filter reads at most 2000 texts per page: a page may hold fewer items, page on."),
  pages: N_("Pages"),
  periodFrom: N_("From"),
  periodTo: N_("Until"),
  newer: N_("Newer"),
  older: N_("Older"),
};

// The widget's driver names (federation/battery/followups.py DRIVER_LABELS: the same msgids).
const DRIVER_NAMES = {
  effectiveness: N_("The outcome of my matter"),
  ease: N_("Ease"),
  efficiency: N_("Speed"),
  transparency: N_("Clarity and transparency"),
  language: N_("Language"),
  staff: N_("Staff"),
  other: N_("Other"),
};


async function readJson(path) {
  const response = await fetch(path, { credentials: "omit" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// The locale list and the asked language's catalog come in the page (schema/http/dashboard.py); others are fetched.
const EMBEDDED = JSON.parse(document.getElementById("arvio-i18n")?.textContent || "null");
const INDEX = EMBEDDED?.index ?? await readJson("/i18n/index.json");
export const LANGUAGES = INDEX.locales.map((entry) => entry.code);
export const LANGUAGE_NAMES = Object.fromEntries(INDEX.locales.map((entry) => [entry.code, entry.name]));
const CATALOGS = EMBEDDED?.catalog ? { [EMBEDDED.catalog.locale]: EMBEDDED.catalog } : {};

async function loadCatalog(lang) {
  CATALOGS[lang] ??= await readJson(`/i18n/${lang}.json`);
  return CATALOGS[lang];
}

// The text of a msgid in the current language: a plain string, or a String with .lang where it fell back.
function lookup(msgid) {
  const catalog = CATALOGS[currentLanguage()];
  const text = catalog.messages[msgid];
  if (text === undefined) return msgid.split("\u0004").pop();
  const lang = catalog.langs[msgid];
  if (!lang) return text;
  const marked = new String(text);  // eslint-disable-line no-new-wrappers -- carries the fallback's language
  marked.lang = lang;
  return marked;
}

const LOCALES = { fi: "fi-FI", sv: "sv-FI", en: "en-GB", se: "se-FI" };

// The tag of number and date formats: the language's, or Finnish conventions where the browser has no data for it.
function formatLocale() {
  const tag = LOCALES[currentLanguage()] ?? currentLanguage();
  return Intl.NumberFormat.supportedLocalesOf([tag]).length ? tag : "fi-FI";
}

export function currentLanguage() {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (LANGUAGES.includes(asked)) return asked;
  const kept = window.localStorage.getItem("arvio.lang");
  return LANGUAGES.includes(kept) ? kept : "fi";
}

if (!CATALOGS[currentLanguage()]) await loadCatalog(currentLanguage());

export async function useLanguage(lang) {
  await loadCatalog(lang);
  window.localStorage.setItem("arvio.lang", lang);
  const url = new URL(window.location.href);
  url.searchParams.set("lang", lang);
  window.history.replaceState(null, "", url);
  document.documentElement.lang = lang;
}

export function t(key, values = {}) {
  const msgid = MESSAGES[key];
  if (msgid === undefined) return key;
  if (Array.isArray(msgid)) return msgid.map(lookup);
  const text = lookup(msgid);
  const filled = String(text).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  if (typeof text === "string") return filled;
  const marked = new String(filled);  // eslint-disable-line no-new-wrappers -- keeps the fallback's language
  marked.lang = text.lang;
  return marked;
}

// The languages of the national catalogue's data (service and organisation names, GraphQL's Locale enum,
// schema/graphql/locale.py); in any other language the data is read, and shown, in Finnish.
const CATALOGUE_LANGUAGES = ["fi", "sv", "en"];

// The GraphQL Locale of the data for the current language (FI where the catalogue has no such language).
export function dataLocale() {
  return CATALOGUE_LANGUAGES.includes(currentLanguage()) ? currentLanguage().toUpperCase() : "FI";
}

// A catalogue text (a service's name) marked lang="fi" where the current language fell back to Finnish data.
export function fromCatalogue(text) {
  if (text === null || text === undefined || CATALOGUE_LANGUAGES.includes(currentLanguage())) return text;
  const marked = new String(text);  // eslint-disable-line no-new-wrappers -- carries the data's language
  marked.lang = "fi";
  return marked;
}

// After a render: in a language whose catalog falls back to Finnish, every element whose own text has words but
// no text of the language's own translations is Finnish (a fallback text, catalogue data or a sentence built of
// them): it gets lang="fi" (WCAG 3.1.2), unless an ancestor below <html> already names its language.
export function markFallbacks(root) {
  const catalog = CATALOGS[currentLanguage()];
  if (!Object.keys(catalog.langs).length) return;
  const own = Object.entries(catalog.messages).filter(([key]) => !catalog.langs[key])
    .flatMap(([, text]) => (Array.isArray(text) ? text : [text])).filter((text) => text.length >= 3);
  for (const node of root.querySelectorAll("*")) {
    const text = [...node.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("");
    if (!/\p{L}{2,}/u.test(text) || node.closest("[lang]") !== document.documentElement) continue;
    if (!own.some((translated) => text.includes(translated))) node.setAttribute("lang", catalog.fallback);
  }
}

// Marks fallbacks in root now and whenever content is added to it (panels that render after the page is ready).
export function watchFallbacks(root) {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      markFallbacks(root);
    });
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  markFallbacks(root);
}

export function driverName(code) {
  return DRIVER_NAMES[code] === undefined ? code : lookup(DRIVER_NAMES[code]);
}

// The lang attribute of a text t() or driverName() returned: its own language where it fell back, else null.
export function langOf(text) {
  return text instanceof String && text.lang ? text.lang : null;
}

export function number(value, digits = 2) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(formatLocale(), {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(value);
}

export function whole(value) {
  return value === null || value === undefined ? "–" : new Intl.NumberFormat(formatLocale()).format(value);
}

export function date(text) {
  return new Intl.DateTimeFormat(formatLocale(), { dateStyle: "medium", timeZone: "UTC" })
    .format(new Date(`${text}T00:00:00Z`));
}

export function percent(value) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(formatLocale(), { style: "percent", maximumFractionDigits: 1 })
    .format(value);
}

export function euros(value) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(formatLocale(), { style: "currency", currency: "EUR" }).format(value);
}

export function moment(text) {
  return new Intl.DateTimeFormat(formatLocale(), { dateStyle: "medium", timeStyle: "short",
    timeZone: "Europe/Helsinki" }).format(new Date(text));
}
