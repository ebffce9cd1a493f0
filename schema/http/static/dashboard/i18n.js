// Texts of the dashboard in Finnish, Swedish and English, and locale-aware number formatting.

// Each text in Finnish, Swedish and English, side by side (null: that language falls back).
const TEXTS_ROWS = {
  appName: ["arvio — analytiikka", "arvio — analys", "arvio — analytics"],
  skip: ["Siirry sisältöön", "Hoppa till innehållet", "Skip to content"],
  language: ["Kieli", "Språk", "Language"],
  servicesTitle: ["Palvelut", "Tjänster", "Services"],
  servicesIntro: ["Julkaistut asiakasarviot palveluittain viimeisten 365 päivän ajalta.", "Publicerade kundbetyg per tjänst under de senaste 365 dagarna.", "Published customer ratings per service over the last 365 days."],
  orgSignInLink: ["Organisaation kirjautuminen", "Inloggning för organisationer", "Organisation sign-in"],
  service: ["Palvelu", "Tjänst", "Service"],
  organisation: ["Organisaatio", "Organisation", "Organisation"],
  score: ["Arvio", "Betyg", "Score"],
  answers: ["Vastauksia", "Svar", "Answers"],
  notPublished: ["ei julkaistu", "inte publicerat", "not published"],
  loading: ["Ladataan…", "Laddar…", "Loading…"],
  loadFailed: ["Tietojen lataus epäonnistui", "Det gick inte att ladda uppgifterna", "Loading the figures failed"],
  question: ["Kysymys", "Fråga", "Question"],
  granularity: ["Jakso", "Period", "Period"],
  window: ["Aikaväli", "Tidsperiod", "Window"],
  peerScope: ["Vertailuryhmä", "Jämförelsegrupp", "Peer group"],
  HOUR: ["Tunti", "Timme", "Hour"],
  DAY: ["Päivä", "Dag", "Day"],
  WEEK: ["Viikko", "Vecka", "Week"],
  MONTH: ["Kuukausi", "Månad", "Month"],
  QUARTER: ["Neljännes", "Kvartal", "Quarter"],
  NATIONAL: ["Koko maa", "Hela landet", "Nationwide"],
  SERVICE_CLASS: ["Sama palveluluokka", "Samma tjänsteklass", "Same service class"],
  ORGANISATION_TYPE: ["Sama organisaatiotyyppi", "Samma organisationstyp", "Same organisation type"],
  last30: ["Viimeiset 30 päivää", "Senaste 30 dagarna", "Last 30 days"],
  last90: ["Viimeiset 90 päivää", "Senaste 90 dagarna", "Last 90 days"],
  last365: ["Viimeiset 365 päivää", "Senaste 365 dagarna", "Last 365 days"],
  trend: ["Kehitys", "Utveckling", "Trend"],
  trendCaption: ["{metric} jaksoittain, 95 %:n luottamusväli varjostettuna", "{metric} per period, 95 % konfidensintervall skuggat", "{metric} per period, 95 % confidence interval shaded"],
  distribution: ["Jakauma", "Fördelning", "Distribution"],
  distributionCaption: ["Vastausten määrä arvoittain", "Antal svar per värde", "Answers per value"],
  drivers: ["Syyt", "Orsaker", "Drivers"],
  wentWell: ["Missä onnistuimme", "Vad lyckades vi med", "What went well"],
  couldBeBetter: ["Mitä olisi voinut tehdä paremmin", "Vad kunde ha varit bättre", "What could be better"],
  toImprove: ["Mitä pitäisi parantaa", "Vad borde vi förbättra", "What should improve"],
  noDrivers: ["Ei syytietoja", "Inga orsaksuppgifter", "No driver data"],
  heatmap: ["Ruuhka-ajat", "Rusningstider", "Rush hours"],
  heatmapCaption: ["Vastausmäärä viikonpäivittäin ja tunneittain (Suomen aika)", "Antal svar per veckodag och timme (finsk tid)", "Answers by weekday and hour (Finnish time)"],
  events: ["Sanoitte, teimme", "Ni sade, vi gjorde", "You said, we did"],
  eventsInternal: ["Muutokset", "Ändringar", "Changes"],
  noEvents: ["Ei kirjattuja muutoksia", "Inga registrerade ändringar", "No changes recorded"],
  peers: ["Vertailu", "Jämförelse", "Comparison"],
  peersCaption: ["Kutistettu keskiarvo ja 95 %:n väli; alle julkaisurajan jäävät palvelut eivät ole mukana järjestyksessä", "Krympt medelvärde och 95 % intervall; tjänster under publiceringsgränsen rangordnas inte", "Shrunk mean and 95 % interval; services below the publication threshold are not ranked"],
  rank: ["Sija", "Plats", "Rank"],
  tied: ["jaettu sija", "delad plats", "tied"],
  shrunkMean: ["Kutistettu keskiarvo", "Krympt medelvärde", "Shrunk mean"],
  shrunkNps: ["Kutistettu NPS", "Krympt NPS", "Shrunk NPS"],
  peersCaptionNps: ["Kutistettu NPS ja 95 %:n väli; alle julkaisurajan jäävät palvelut eivät ole mukana järjestyksessä", "Krympt NPS och 95 % intervall; tjänster under publiceringsgränsen rangordnas inte", "Shrunk NPS and 95 % interval; services below the publication threshold are not ranked"],
  driverShare: ["Osuus parannettavaa-vastauksista, joissa mainittiin {driver}", "Andel av svaren om förbättringar som nämnde {driver}", "Share of improvement answers citing {driver}"],
  percentile: ["Persentiili", "Percentil", "Percentile"],
  notRanked: ["ei järjestetty (liian vähän vastauksia)", "inte rangordnad (för få svar)", "not ranked (too few answers)"],
  period: ["Jakso", "Period", "Period"],
  value: ["Arvo", "Värde", "Value"],
  interval: ["95 %:n väli", "95 % intervall", "95 % interval"],
  count: ["Määrä", "Antal", "Count"],
  showTable: ["Näytä taulukkona", "Visa som tabell", "Show as a table"],
  keysHelp: ["Siirry pisteestä toiseen nuolinäppäimillä.", "Flytta mellan punkterna med piltangenterna.", "Move between points with the arrow keys."],
  weekday: ["Viikonpäivä", "Veckodag", "Weekday"],
  hour: ["Tunti", "Timme", "Hour"],
  weekdays: [["ma","ti","ke","to","pe","la","su"], ["mån","tis","ons","tor","fre","lör","sön"], ["Mon","Tue","Wed","Thu","Fri","Sat","Sun"]],
  MEAN: ["Keskiarvo", "Medelvärde", "Mean"],
  NPS: ["NPS", "NPS", "NPS"],
  YES_SHARE: ["Kyllä-osuus", "Andel ja", "Yes share"],
  // NPS interpretation bands (federation/scores/nps.py NPS_BAND_LABELS: cut-offs and their source there).
  NEEDS_IMPROVEMENT: ["Parannettavaa", "Behöver förbättras", "Needs improvement"],
  GOOD: ["Hyvä", "Bra", "Good"],
  GREAT: ["Erittäin hyvä", "Mycket bra", "Great"],
  EXCELLENT: ["Erinomainen", "Utmärkt", "Excellent"],
  difference: ["Ero", "Skillnad", "Difference"],
  significant: ["tilastollisesti merkitsevä", "statistiskt signifikant", "statistically significant"],
  notSignificant: ["ei tilastollisesti merkitsevä", "inte statistiskt signifikant", "not statistically significant"],
  COMPLETE: ["", "", ""],
  PARTIAL: ["jakso kesken", "perioden pågår", "window still running"],
  PENDING: ["ei vielä voimassa", "ännu inte i kraft", "not in effect yet"],
  INSUFFICIENT_DATA: ["liian vähän vastauksia", "för få svar", "too few answers"],
  before: ["ennen", "före", "before"],
  after: ["jälkeen", "efter", "after"],
  publicEvent: ["julkinen", "offentlig", "public"],
  internalEvent: ["sisäinen", "intern", "internal"],
  signInTitle: ["Kirjaudu organisaationa", "Logga in som organisation", "Sign in as an organisation"],
  tokenLabel: ["Organisaation tunniste (token)", "Organisationens nyckel (token)", "Organisation token"],
  signIn: ["Kirjaudu", "Logga in", "Sign in"],
  signOut: ["Kirjaudu ulos", "Logga ut", "Sign out"],
  badToken: ["Tunniste ei kelpaa.", "Nyckeln duger inte.", "The token is not valid."],
  notOrganisation: ["Tämä sivu on organisaatioiden tunnisteille.", "Sidan är för organisationers nycklar.", "This page is for organisation tokens."],
  yourServices: ["Palvelunne", "Era tjänster", "Your services"],
  alerts: ["Hälytykset", "Larm", "Alerts"],
  noAlerts: ["Ei hälytyksiä viimeisten 90 päivän ajalta", "Inga larm under de senaste 90 dagarna", "No alerts in the last 90 days"],
  RISE: ["nousu", "ökning", "rise"],
  DROP: ["lasku", "minskning", "drop"],
  alertText: ["{service} – {question}: {direction} {from} → {to} (alkaen {start}, havaittu {detected})", "{service} – {question}: {direction} {from} → {to} (från {start}, upptäckt {detected})", "{service} – {question}: {direction} {from} → {to} (from {start}, detected {detected})"],
  recordEvent: ["Kirjaa muutos", "Registrera en ändring", "Record a change"],
  date: ["Päivämäärä", "Datum", "Date"],
  descriptionFi: ["Kuvaus suomeksi", "Beskrivning på finska", "Description in Finnish"],
  descriptionSv: ["Kuvaus ruotsiksi", "Beskrivning på svenska", "Description in Swedish"],
  descriptionEn: ["Kuvaus englanniksi", "Beskrivning på engelska", "Description in English"],
  publicCheckbox: ["Julkaise sanoitte, teimme -lokissa", "Publicera i loggen ni sade, vi gjorde", "Publish in the “you said, we did” log"],
  save: ["Tallenna", "Spara", "Save"],
  saved: ["Muutos kirjattu.", "Ändringen har registrerats.", "The change was recorded."],
  summary: ["Organisaatioiden yhteenveto", "Sammanfattning per organisation", "Organisation summaries"],
  summaryCaption: ["Julkaistujen palvelujen vastaukset yhdistettyinä (volyymipainotettu)", "Svaren för publicerade tjänster sammanslagna (volymviktat)", "Answers of published services pooled (volume-weighted)"],
  services: ["Palveluja", "Tjänster", "Services"],
  signedInAs: ["Kirjautunut: {name}", "Inloggad: {name}", "Signed in: {name}"],
  noData: ["Ei vastauksia", "Inga svar", "No answers"],
};
const TEXTS = Object.fromEntries(["fi", "sv", "en"].map((lang, i) => [lang, Object.fromEntries(
  Object.entries(TEXTS_ROWS).filter(([, texts]) => texts[i] !== null).map(([key, texts]) => [key, texts[i]]))]));

// The widget's driver names (federation/battery/followups.py DRIVER_LABELS).
// Each text in Finnish, Swedish and English, side by side (null: that language falls back).
const DRIVER_NAMES_ROWS = {
  effectiveness: ["Asiani lopputulos", "Utgången i mitt ärende", "The outcome of my matter"],
  ease: ["Helppous", "Enkelhet", "Ease"],
  efficiency: ["Nopeus", "Snabbhet", "Speed"],
  transparency: ["Selkeys ja avoimuus", "Tydlighet och öppenhet", "Clarity and transparency"],
  language: ["Kieli", "Språk", "Language"],
  staff: ["Henkilökunta", "Personalen", "Staff"],
  other: ["Muu", "Annat", "Other"],
};
const DRIVER_NAMES = Object.fromEntries(["fi", "sv", "en"].map((lang, i) => [lang, Object.fromEntries(
  Object.entries(DRIVER_NAMES_ROWS).filter(([, texts]) => texts[i] !== null).map(([key, texts]) => [key, texts[i]]))]));

const LOCALES = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };
export const LANGUAGES = ["fi", "sv", "en"];

export function currentLanguage() {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (LANGUAGES.includes(asked)) return asked;
  const kept = window.localStorage.getItem("arvio.lang");
  return LANGUAGES.includes(kept) ? kept : "fi";
}

export function useLanguage(lang) {
  window.localStorage.setItem("arvio.lang", lang);
  const url = new URL(window.location.href);
  url.searchParams.set("lang", lang);
  window.history.replaceState(null, "", url);
  document.documentElement.lang = lang;
}

export function t(key, values = {}) {
  const text = TEXTS[currentLanguage()][key] ?? TEXTS.en[key] ?? key;
  return typeof text === "string" ? text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? "")) : text;
}

export function driverName(code) {
  return DRIVER_NAMES[currentLanguage()][code] ?? code;
}

export function number(value, digits = 2) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(LOCALES[currentLanguage()], {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(value);
}

export function whole(value) {
  return value === null || value === undefined ? "–" : new Intl.NumberFormat(LOCALES[currentLanguage()]).format(value);
}

export function date(text) {
  return new Intl.DateTimeFormat(LOCALES[currentLanguage()], { dateStyle: "medium", timeZone: "UTC" })
    .format(new Date(`${text}T00:00:00Z`));
}
