// Texts of the dashboard in Finnish, Swedish and English, and locale-aware number formatting.

const TEXTS = {
  fi: {
    appName: "arvio — analytiikka", skip: "Siirry sisältöön", language: "Kieli",
    servicesTitle: "Palvelut", servicesIntro: "Julkaistut asiakasarviot palveluittain viimeisten 365 päivän ajalta.",
    orgSignInLink: "Organisaation kirjautuminen", service: "Palvelu", organisation: "Organisaatio",
    score: "Arvio", answers: "Vastauksia", notPublished: "ei julkaistu", loading: "Ladataan…",
    loadFailed: "Tietojen lataus epäonnistui", question: "Kysymys", granularity: "Jakso", window: "Aikaväli",
    peerScope: "Vertailuryhmä", HOUR: "Tunti", DAY: "Päivä", WEEK: "Viikko", MONTH: "Kuukausi", QUARTER: "Neljännes",
    NATIONAL: "Koko maa", SERVICE_CLASS: "Sama palveluluokka", ORGANISATION_TYPE: "Sama organisaatiotyyppi",
    last30: "Viimeiset 30 päivää", last90: "Viimeiset 90 päivää", last365: "Viimeiset 365 päivää",
    trend: "Kehitys", trendCaption: "{metric} jaksoittain, 95 %:n luottamusväli varjostettuna",
    distribution: "Jakauma", distributionCaption: "Vastausten määrä arvoittain", drivers: "Syyt",
    wentWell: "Missä onnistuimme", couldBeBetter: "Mitä olisi voinut tehdä paremmin", toImprove: "Mitä pitäisi parantaa",
    noDrivers: "Ei syytietoja", heatmap: "Ruuhka-ajat", heatmapCaption: "Vastausmäärä viikonpäivittäin ja tunneittain (Suomen aika)",
    events: "Sanoitte, teimme", eventsInternal: "Muutokset", noEvents: "Ei kirjattuja muutoksia",
    peers: "Vertailu", peersCaption: "Kutistettu keskiarvo ja 95 %:n väli; alle julkaisurajan jäävät palvelut eivät ole mukana järjestyksessä",
    rank: "Sija", tied: "jaettu sija", shrunkMean: "Kutistettu keskiarvo", percentile: "Persentiili", notRanked: "ei järjestetty (liian vähän vastauksia)",
    period: "Jakso", value: "Arvo", interval: "95 %:n väli", count: "Määrä", showTable: "Näytä taulukkona",
    keysHelp: "Siirry pisteestä toiseen nuolinäppäimillä.", weekday: "Viikonpäivä", hour: "Tunti",
    weekdays: ["ma", "ti", "ke", "to", "pe", "la", "su"], MEAN: "Keskiarvo", NPS: "NPS", YES_SHARE: "Kyllä-osuus",
    difference: "Ero", significant: "tilastollisesti merkitsevä", notSignificant: "ei tilastollisesti merkitsevä",
    COMPLETE: "", PARTIAL: "jakso kesken", PENDING: "ei vielä voimassa", INSUFFICIENT_DATA: "liian vähän vastauksia",
    before: "ennen", after: "jälkeen", publicEvent: "julkinen", internalEvent: "sisäinen",
    signInTitle: "Kirjaudu organisaationa", tokenLabel: "Organisaation tunniste (token)", signIn: "Kirjaudu",
    signOut: "Kirjaudu ulos", badToken: "Tunniste ei kelpaa.", notOrganisation: "Tämä sivu on organisaatioiden tunnisteille.",
    yourServices: "Palvelunne", alerts: "Hälytykset", noAlerts: "Ei hälytyksiä viimeisten 90 päivän ajalta",
    RISE: "nousu", DROP: "lasku", alertText: "{service} – {question}: {direction} {from} → {to} (alkaen {start}, havaittu {detected})",
    recordEvent: "Kirjaa muutos", date: "Päivämäärä", descriptionFi: "Kuvaus suomeksi", descriptionSv: "Kuvaus ruotsiksi",
    descriptionEn: "Kuvaus englanniksi", publicCheckbox: "Julkaise sanoitte, teimme -lokissa", save: "Tallenna",
    saved: "Muutos kirjattu.", summary: "Organisaatioiden yhteenveto", summaryCaption: "Julkaistujen palvelujen vastaukset yhdistettyinä (volyymipainotettu)",
    services: "Palveluja", signedInAs: "Kirjautunut: {name}", noData: "Ei vastauksia",
  },
  sv: {
    appName: "arvio — analys", skip: "Hoppa till innehållet", language: "Språk",
    servicesTitle: "Tjänster", servicesIntro: "Publicerade kundbetyg per tjänst under de senaste 365 dagarna.",
    orgSignInLink: "Inloggning för organisationer", service: "Tjänst", organisation: "Organisation",
    score: "Betyg", answers: "Svar", notPublished: "inte publicerat", loading: "Laddar…",
    loadFailed: "Det gick inte att ladda uppgifterna", question: "Fråga", granularity: "Period", window: "Tidsperiod",
    peerScope: "Jämförelsegrupp", HOUR: "Timme", DAY: "Dag", WEEK: "Vecka", MONTH: "Månad", QUARTER: "Kvartal",
    NATIONAL: "Hela landet", SERVICE_CLASS: "Samma tjänsteklass", ORGANISATION_TYPE: "Samma organisationstyp",
    last30: "Senaste 30 dagarna", last90: "Senaste 90 dagarna", last365: "Senaste 365 dagarna",
    trend: "Utveckling", trendCaption: "{metric} per period, 95 % konfidensintervall skuggat",
    distribution: "Fördelning", distributionCaption: "Antal svar per värde", drivers: "Orsaker",
    wentWell: "Vad lyckades vi med", couldBeBetter: "Vad kunde ha varit bättre", toImprove: "Vad borde vi förbättra",
    noDrivers: "Inga orsaksuppgifter", heatmap: "Rusningstider", heatmapCaption: "Antal svar per veckodag och timme (finsk tid)",
    events: "Ni sade, vi gjorde", eventsInternal: "Ändringar", noEvents: "Inga registrerade ändringar",
    peers: "Jämförelse", peersCaption: "Krympt medelvärde och 95 % intervall; tjänster under publiceringsgränsen rangordnas inte",
    rank: "Plats", tied: "delad plats", shrunkMean: "Krympt medelvärde", percentile: "Percentil", notRanked: "inte rangordnad (för få svar)",
    period: "Period", value: "Värde", interval: "95 % intervall", count: "Antal", showTable: "Visa som tabell",
    keysHelp: "Flytta mellan punkterna med piltangenterna.", weekday: "Veckodag", hour: "Timme",
    weekdays: ["mån", "tis", "ons", "tor", "fre", "lör", "sön"], MEAN: "Medelvärde", NPS: "NPS", YES_SHARE: "Andel ja",
    difference: "Skillnad", significant: "statistiskt signifikant", notSignificant: "inte statistiskt signifikant",
    COMPLETE: "", PARTIAL: "perioden pågår", PENDING: "ännu inte i kraft", INSUFFICIENT_DATA: "för få svar",
    before: "före", after: "efter", publicEvent: "offentlig", internalEvent: "intern",
    signInTitle: "Logga in som organisation", tokenLabel: "Organisationens nyckel (token)", signIn: "Logga in",
    signOut: "Logga ut", badToken: "Nyckeln duger inte.", notOrganisation: "Sidan är för organisationers nycklar.",
    yourServices: "Era tjänster", alerts: "Larm", noAlerts: "Inga larm under de senaste 90 dagarna",
    RISE: "ökning", DROP: "minskning", alertText: "{service} – {question}: {direction} {from} → {to} (från {start}, upptäckt {detected})",
    recordEvent: "Registrera en ändring", date: "Datum", descriptionFi: "Beskrivning på finska", descriptionSv: "Beskrivning på svenska",
    descriptionEn: "Beskrivning på engelska", publicCheckbox: "Publicera i loggen ni sade, vi gjorde", save: "Spara",
    saved: "Ändringen har registrerats.", summary: "Sammanfattning per organisation", summaryCaption: "Svaren för publicerade tjänster sammanslagna (volymviktat)",
    services: "Tjänster", signedInAs: "Inloggad: {name}", noData: "Inga svar",
  },
  en: {
    appName: "arvio — analytics", skip: "Skip to content", language: "Language",
    servicesTitle: "Services", servicesIntro: "Published customer ratings per service over the last 365 days.",
    orgSignInLink: "Organisation sign-in", service: "Service", organisation: "Organisation",
    score: "Score", answers: "Answers", notPublished: "not published", loading: "Loading…",
    loadFailed: "Loading the figures failed", question: "Question", granularity: "Period", window: "Window",
    peerScope: "Peer group", HOUR: "Hour", DAY: "Day", WEEK: "Week", MONTH: "Month", QUARTER: "Quarter",
    NATIONAL: "Nationwide", SERVICE_CLASS: "Same service class", ORGANISATION_TYPE: "Same organisation type",
    last30: "Last 30 days", last90: "Last 90 days", last365: "Last 365 days",
    trend: "Trend", trendCaption: "{metric} per period, 95 % confidence interval shaded",
    distribution: "Distribution", distributionCaption: "Answers per value", drivers: "Drivers",
    wentWell: "What went well", couldBeBetter: "What could be better", toImprove: "What should improve",
    noDrivers: "No driver data", heatmap: "Rush hours", heatmapCaption: "Answers by weekday and hour (Finnish time)",
    events: "You said, we did", eventsInternal: "Changes", noEvents: "No changes recorded",
    peers: "Comparison", peersCaption: "Shrunk mean and 95 % interval; services below the publication threshold are not ranked",
    rank: "Rank", tied: "tied", shrunkMean: "Shrunk mean", percentile: "Percentile", notRanked: "not ranked (too few answers)",
    period: "Period", value: "Value", interval: "95 % interval", count: "Count", showTable: "Show as a table",
    keysHelp: "Move between points with the arrow keys.", weekday: "Weekday", hour: "Hour",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], MEAN: "Mean", NPS: "NPS", YES_SHARE: "Yes share",
    difference: "Difference", significant: "statistically significant", notSignificant: "not statistically significant",
    COMPLETE: "", PARTIAL: "window still running", PENDING: "not in effect yet", INSUFFICIENT_DATA: "too few answers",
    before: "before", after: "after", publicEvent: "public", internalEvent: "internal",
    signInTitle: "Sign in as an organisation", tokenLabel: "Organisation token", signIn: "Sign in",
    signOut: "Sign out", badToken: "The token is not valid.", notOrganisation: "This page is for organisation tokens.",
    yourServices: "Your services", alerts: "Alerts", noAlerts: "No alerts in the last 90 days",
    RISE: "rise", DROP: "drop", alertText: "{service} – {question}: {direction} {from} → {to} (from {start}, detected {detected})",
    recordEvent: "Record a change", date: "Date", descriptionFi: "Description in Finnish", descriptionSv: "Description in Swedish",
    descriptionEn: "Description in English", publicCheckbox: "Publish in the “you said, we did” log", save: "Save",
    saved: "The change was recorded.", summary: "Organisation summaries", summaryCaption: "Answers of published services pooled (volume-weighted)",
    services: "Services", signedInAs: "Signed in: {name}", noData: "No answers",
  },
};

// The widget's driver names (federation/battery/followups.py DRIVER_LABELS).
const DRIVER_NAMES = {
  fi: { effectiveness: "Asiani hoitui", ease: "Helppous", efficiency: "Nopeus", transparency: "Selkeys ja avoimuus",
        language: "Kieli", staff: "Henkilökunta", other: "Muu" },
  sv: { effectiveness: "Mitt ärende blev skött", ease: "Enkelhet", efficiency: "Snabbhet",
        transparency: "Tydlighet och öppenhet", language: "Språk", staff: "Personalen", other: "Annat" },
  en: { effectiveness: "My matter got done", ease: "Ease", efficiency: "Speed", transparency: "Clarity and transparency",
        language: "Language", staff: "Staff", other: "Other" },
};

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
