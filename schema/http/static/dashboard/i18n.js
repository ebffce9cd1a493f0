// Texts of the dashboard in Finnish, Swedish and English, and locale-aware number formatting.

// Each text in Finnish, Swedish and English, side by side (null: that language falls back).
const TEXTS_ROWS = {
  appName: ["arvio — analytiikka", "arvio — analys", "arvio — analytics"],
  skip: ["Siirry sisältöön", "Hoppa till innehållet", "Skip to content"],
  language: ["Kieli", "Språk", "Language"],
  accessibilityStatement: ["Saavutettavuusseloste", "Tillgänglighetsutlåtande", "Accessibility statement"],
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
  peersCaption: ["Tasoitettu keskiarvo ja 95 %:n väli; alle julkaisurajan jäävät palvelut eivät ole mukana järjestyksessä", "Utjämnat medelvärde och 95 % intervall; tjänster under publiceringsgränsen rangordnas inte", "Adjusted average and 95 % interval; services below the publication threshold are not ranked"],
  rank: ["Sija", "Plats", "Rank"],
  tied: ["jaettu sija", "delad plats", "tied"],
  shrunkMean: ["Tasoitettu keskiarvo", "Utjämnat medelvärde", "Adjusted average"],
  shrunkMeanHelp: ["Palvelun keskiarvo siirrettynä kohti kaikkien palvelujen keskiarvoa sitä enemmän, mitä vähemmän vastauksia sillä on, jotta muutama vastaus ei nosta tai laske palvelua sattumalta (kutistettu keskiarvo).", "Tjänstens medelvärde draget mot alla tjänsters medelvärde, desto mer ju färre svar den har, så att några få svar inte lyfter eller sänker tjänsten av en slump (krympt medelvärde).", "The service's average pulled towards the average of all services, the more the fewer answers it has, so that a handful of answers cannot lift or drop it by chance (a shrunk mean)."],
  intervalHelp: ["Vaihteluväli, jolla todellinen arvo on 95 %:n varmuudella; mitä enemmän vastauksia, sitä kapeampi väli.", "Intervallet som med 95 % säkerhet innehåller det sanna värdet; ju fler svar, desto smalare är det.", "The range that holds the true value with 95 % confidence; the more answers, the narrower it is."],
  percentileHelp: ["Kuinka monta prosenttia muista järjestetyistä palveluista on tätä heikompia (100 = paras).", "Hur många procent av de andra rangordnade tjänsterna som ligger lägre (100 = bäst).", "The percentage of the other ranked services that score lower (100 = best)."],
  npsHelp: ["Suositteluindeksi: 9–10 vastanneiden osuus miinus 0–6 vastanneiden osuus, −100…+100.", "Rekommendationsindex: andelen som svarat 9–10 minus andelen som svarat 0–6, −100…+100.", "Net Promoter Score: the share answering 9–10 minus the share answering 0–6, from −100 to +100."],
  significantHelp: ["Ero on niin suuri, ettei se selity pelkällä sattumalla (p < 0,05); p on todennäköisyys saada näin suuri ero sattumalta.", "Skillnaden är så stor att slumpen ensam inte förklarar den (p < 0,05); p är sannolikheten för en så stor skillnad av en slump.", "The difference is too large to be chance alone (p < 0.05); p is the probability of so large a difference by chance."],
  notPublishedHelp: ["Alle julkaisurajan jäävät luvut piilotetaan, jotta yksittäisiä vastaajia ei voi tunnistaa eikä muutama vastaus anna harhaanjohtavaa kuvaa.", "Siffror under publiceringsgränsen döljs så att enskilda svarande inte kan identifieras och några få svar inte ger en missvisande bild.", "Figures below the publication threshold are hidden so that no respondent can be singled out and a few answers cannot mislead."],
  alertsHelp: ["Hälytys syntyy, kun päivittäinen keskiarvo pysyy aiempaa selvästi korkeampana tai matalampana niin kauan, ettei muutos todennäköisesti ole sattumaa.", "Ett larm uppstår när det dagliga medelvärdet håller sig klart högre eller lägre än tidigare så länge att ändringen knappast är en slump.", "An alert is raised when the daily average stays clearly above or below its earlier level for long enough that the change is unlikely to be chance."],
  terms: ["Mitä luvut tarkoittavat", "Vad siffrorna betyder", "What the figures mean"],
  shrunkNps: ["Tasoitettu NPS", "Utjämnat NPS", "Adjusted NPS"],
  peersCaptionNps: ["Tasoitettu NPS ja 95 %:n väli; alle julkaisurajan jäävät palvelut eivät ole mukana järjestyksessä", "Utjämnat NPS och 95 % intervall; tjänster under publiceringsgränsen rangordnas inte", "Adjusted NPS and 95 % interval; services below the publication threshold are not ranked"],
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
  noAlerts: ["Ei hälytyksiä viimeisten {days} päivän ajalta", "Inga larm under de senaste {days} dagarna", "No alerts in the last {days} days"],
  alertsIn: ["Hälytykset viimeisten {days} päivän ajalta", "Larm under de senaste {days} dagarna", "Alerts in the last {days} days"],
  tokenHelp: ["Tunnisteen antaa arvion ylläpitäjä (palvelun operaattori) organisaatiollesi. Ylläpitäjä luo sen komennolla", "Nyckeln får din organisation av arvios administratör (tjänstens operatör), som skapar den med kommandot", "Your organisation gets its token from arvio's operator, who creates it with the command"],
  tokenCommand: ["arvio token issue --role ORGANISATION --org <Y-tunnus> --label <käyttäjä>", "arvio token issue --role ORGANISATION --org <FO-nummer> --label <användare>", "arvio token issue --role ORGANISATION --org <business ID> --label <user>"],
  tokenKeep: ["Tunniste näytetään vain kerran: säilytä se kuin salasana. Sivu pitää sen vain tämän välilehden muistissa.", "Nyckeln visas bara en gång: förvara den som ett lösenord. Sidan håller den bara i minnet för den här fliken.", "The token is shown only once: keep it like a password. This page keeps it only for this browser tab."],
  kpis: ["Asiointimäärät ja tunnusluvut", "Volymer och nyckeltal", "Volumes and key figures"],
  kpisIntro: ["Organisaation ilmoittamat päivittäiset määrät valitulta aikaväliltä ({from}–{to})", "Dagliga volymer som organisationen rapporterat under den valda perioden ({from}–{to})", "Daily volumes reported by the organisation over the chosen window ({from}–{to})"],
  noKpis: ["Palvelulle ei ole ilmoitettu asiointimääriä tältä aikaväliltä.", "Inga volymer har rapporterats för tjänsten under perioden.", "No volumes were reported for the service in this window."],
  figure: ["Tunnusluku", "Nyckeltal", "Figure"],
  meaning: ["Mitä se tarkoittaa", "Vad det betyder", "What it means"],
  transactionsCompleted: ["Valmiit asioinnit", "Slutförda ärenden", "Completed transactions"],
  transactionsCompletedHelp: ["Loppuun asti hoidetut asioinnit kaikissa kanavissa.", "Ärenden som slutförts i alla kanaler.", "Transactions carried through to the end, in every channel."],
  digitalTakeUp: ["Digitaalinen osuus", "Digital andel", "Digital take-up"],
  digitalTakeUpHelp: ["Verkossa hoidettujen osuus valmiista asioinneista.", "Andelen av de slutförda ärendena som sköttes digitalt.", "The share of completed transactions done online."],
  completionRate: ["Loppuunvientiaste", "Slutförandegrad", "Completion rate"],
  completionRateHelp: ["Valmiit asioinnit jaettuna aloitetuilla.", "Slutförda ärenden delat med påbörjade.", "Completed transactions divided by started ones."],
  contactsReceived: ["Yhteydenotot", "Kontakter", "Contacts received"],
  contactsReceivedHelp: ["Puhelut, chatit ja käynnit palvelupisteessä.", "Samtal, chattar och besök vid serviceställen.", "Calls, chats and service-point visits."],
  answeredDirectlyShare: ["Vastattu heti", "Besvarade direkt", "Answered directly"],
  answeredDirectlyShareHelp: ["Osuus yhteydenotoista, joihin vastattiin ilman takaisinsoittoa.", "Andelen kontakter som besvarades utan återuppringning.", "The share of contacts answered without a callback."],
  callbackShare: ["Takaisinsoitot", "Återuppringningar", "Callbacks"],
  callbackShareHelp: ["Osuus yhteydenotoista, jotka hoidettiin soittamalla takaisin.", "Andelen kontakter som sköttes genom att ringa tillbaka.", "The share of contacts handled by calling back."],
  abandonmentRate: ["Jonosta luopuneet", "Avbrutna i kön", "Abandoned in the queue"],
  abandonmentRateHelp: ["Osuus yhteydenotoista, joissa asiakas luopui jonossa.", "Andelen kontakter där kunden gav upp i kön.", "The share of contacts where the customer gave up in the queue."],
  firstContactResolution: ["Ratkaistu ensikontaktilla", "Lösta vid första kontakten", "First-contact resolution"],
  firstContactResolutionHelp: ["Osuus yhteydenotoista, jotka ratkesivat ilman takaisinsoittoa, siirtoa tai uutta yhteydenottoa.", "Andelen kontakter som löstes utan återuppringning, överföring eller ny kontakt.", "The share of contacts resolved without a callback, transfer or new contact."],
  peakHour: ["Ruuhkaisin tunti", "Mest belastade timmen", "Peak hour"],
  peakHourHelp: ["Viikonpäivä ja tunti (Suomen aika), jolloin yhteydenottoja tuli eniten, ja sen osuus kaikista.", "Veckodag och timme (finsk tid) med flest kontakter, och dess andel av alla.", "The weekday and hour (Finnish time) with the most contacts, and its share of all."],
  backlog: ["Avoimet palvelupyynnöt", "Öppna serviceförfrågningar", "Open e-requests"],
  backlogHelp: ["Sähköisen asioinnin palvelupyynnöt auki viimeisimmän raportoidun päivän lopussa.", "E-tjänstens förfrågningar öppna i slutet av den senast rapporterade dagen.", "E-requests open at the end of the latest reported day."],
  oldestBacklogShare: ["Yli 14 päivää auki", "Öppna över 14 dagar", "Open over 14 days"],
  oldestBacklogShareHelp: ["Osuus avoimista palvelupyynnöistä, jotka ovat olleet auki yli 14 päivää.", "Andelen öppna förfrågningar som varit öppna över 14 dagar.", "The share of open e-requests that have been open for more than 14 days."],
  medianWait: ["Odotusajan mediaani", "Väntetidens median", "Median wait"],
  medianWaitHelp: ["Puolet heti vastatuista odotti enintään näin kauan.", "Hälften av de direkt besvarade väntade högst så här länge.", "Half of the contacts answered directly waited at most this long."],
  p90Wait: ["Odotus, 90 %", "Väntetid, 90 %", "Wait, 90 %"],
  p90WaitHelp: ["90 % heti vastatuista odotti enintään näin kauan.", "90 % av de direkt besvarade väntade högst så här länge.", "90 % of the contacts answered directly waited at most this long."],
  coverage: ["Arvioiden kattavuus", "Betygens täckning", "Rating coverage"],
  coverageHelp: ["Arvioiden määrä suhteessa valmiisiin asiointeihin.", "Antalet betyg i förhållande till slutförda ärenden.", "Ratings per completed transaction."],
  responseRate: ["Vastausaste", "Svarsfrekvens", "Response rate"],
  responseRateHelp: ["Vastatut kysymykset suhteessa vastattuihin ja ohitettuihin.", "Besvarade frågor i förhållande till besvarade och överhoppade.", "Questions answered out of those answered or skipped."],
  costPerTransaction: ["Kustannus asiointia kohden", "Kostnad per ärende", "Cost per transaction"],
  costPerTransactionHelp: ["Ilmoitetut kustannukset jaettuna valmiilla asioinneilla.", "Rapporterade kostnader delat med slutförda ärenden.", "Reported cost divided by completed transactions."],
  minutes: ["{value} min", "{value} min", "{value} min"],
  over: ["yli {value} min", "över {value} min", "over {value} min"],
  freeTexts: ["Vapaat palautteet", "Fritt formulerad respons", "Free-text feedback"],
  freeTextsHelp: ["Vastaajien omin sanoin kirjoittamat palautteet valitulta aikaväliltä, vanhimmat ensin; henkilötunnukset ja yhteystiedot on poistettu jo vastaanotettaessa. Jokainen luku kirjataan lokiin.", "Respons med de svarandes egna ord under den valda perioden, äldst först; personbeteckningar och kontaktuppgifter togs bort redan vid mottagandet. Varje läsning loggas.", "Feedback in the respondents' own words over the chosen window, oldest first; identity codes and contact details were removed on arrival. Every read is logged."],
  noFreeTexts: ["Ei vapaita palautteita tältä aikaväliltä.", "Ingen fritt formulerad respons under perioden.", "No free-text feedback in this window."],
  moreFreeTexts: ["Näytä lisää", "Visa fler", "Show more"],
  unreadable: ["(teksti ei ole enää luettavissa)", "(texten kan inte längre läsas)", "(the text can no longer be read)"],
  answer: ["Vastaus", "Svar", "Answer"],
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
  feedbackTitle: ["Palautteet", "Respons", "Feedback"],
  feedbackLink: ["Palautteet ja vastaukset", "Respons och svar", "Feedback and replies"],
  feedbackStatus: ["Tila", "Status", "Status"],
  RECEIVED: ["Saapunut", "Mottagen", "Received"],
  READ: ["Luettu", "Läst", "Read"],
  IN_PROGRESS: ["Käsittelyssä", "Under behandling", "In progress"],
  ANSWERED: ["Vastattu", "Besvarad", "Answered"],
  NO_ACTION: ["Ei toimenpiteitä", "Inga åtgärder", "No action"],
  LOW: ["Matala", "Låg", "Low"],
  MID: ["Keskitaso", "Mellan", "Middle"],
  HIGH: ["Korkea", "Hög", "High"],
  band: ["Arvio", "Betyg", "Band"],
  all: ["Kaikki", "Alla", "All"],
  handler: ["Käsittelijä", "Handläggare", "Handler"],
  assign: ["Aseta", "Tilldela", "Assign"],
  notes: ["Sisäiset muistiinpanot", "Interna anteckningar", "Internal notes"],
  addNote: ["Sisäinen muistiinpano", "Intern anteckning", "Internal note"],
  publicReply: ["Julkinen vastaus", "Offentligt svar", "Public reply"],
  publish: ["Julkaise", "Publicera", "Publish"],
  published: ["Julkaistu", "Publicerat", "Published"],
  noText: ["Ei vapaata tekstiä", "Ingen fritext", "No free text"],
  unreadable: ["Ei luettavissa (avain hävitetty)", "Kan inte läsas (nyckeln förstörd)", "Unreadable (key destroyed)"],
  noFeedback: ["Ei palautteita näillä rajauksilla", "Ingen respons med dessa filter", "No feedback with these filters"],
  feedbackThemes: ["Aiheet", "Teman", "Themes"],
  themeScanNote: ["Aiherajaus lukee enintään 2000 tekstiä sivua kohden: sivulla voi olla vähemmän palautteita, "
    + "selaa eteenpäin.", "Temafiltret läser högst 2000 texter per sida: en sida kan ha färre svar, bläddra vidare.",
  "The theme filter reads at most 2000 texts per page: a page may hold fewer items, page on."],
  pages: ["Sivut", "Sidor", "Pages"],
  periodFrom: ["Alkaen", "Från och med", "From"],
  periodTo: ["Päättyen", "Till och med", "Until"],
  newer: ["Uudemmat", "Nyare", "Newer"],
  older: ["Vanhemmat", "Äldre", "Older"],
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

export function percent(value) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(LOCALES[currentLanguage()], { style: "percent", maximumFractionDigits: 1 })
    .format(value);
}

export function euros(value) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(LOCALES[currentLanguage()], { style: "currency", currency: "EUR" }).format(value);
}

export function moment(text) {
  return new Intl.DateTimeFormat(LOCALES[currentLanguage()], { dateStyle: "medium", timeStyle: "short",
    timeZone: "Europe/Helsinki" }).format(new Date(text));
}
