"""The accessibility statement's texts in fi, sv and en (schema/http/accessibility.py), and the link label the
widget, the dashboard and the privacy notice show. ``{…}`` fields are filled in by the page."""

from __future__ import annotations

LANGUAGES = ("fi", "sv", "en")

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "name": "Suomeksi", "title": "Saavutettavuusseloste", "languages": "Kieli", "link": "Saavutettavuus",
        "intro": "Tämä seloste koskee arvio-palvelua. Palvelua koskee laki digitaalisten palvelujen tarjoamisesta "
                 "(306/2019), jonka mukaan julkisten verkkopalvelujen on täytettävä WCAG 2.1 -ohjeiden A- ja "
                 "AA-tason vaatimukset.",
        "scope.heading": "Mitä seloste koskee",
        "scope.widget": "palautewidget, jonka organisaatiot upottavat verkkoasiointinsa sivuille "
                        "(ympäröivä sivu kuuluu upottavalle organisaatiolle)",
        "scope.dashboard": "analytiikkanäkymä (/dashboard/): palvelujen julkiset sivut ja organisaatioiden sivut",
        "scope.pages": "tietosuojaseloste (/privacy), palautteen vastaussivut (/r/…) ja tämä seloste",
        "status.heading": "Vaatimustenmukaisuus",
        "status.full": "Palvelu täyttää WCAG 2.1 -ohjeiden A- ja AA-tason vaatimukset.",
        "status.partial": "Palvelu täyttää WCAG 2.1 -ohjeiden A- ja AA-tason vaatimukset osittain.",
        "status.failures": "Automaattiset tarkistukset löysivät puutteita (lueteltu alla).",
        "status.unassessed": "Kaikkia vaatimuksia ei voi tarkistaa automaattisesti, eikä asiantuntija ole vielä "
                             "arvioinut niitä (ks. ”Mitä ei tarkisteta automaattisesti”).",
        "known.heading": "Saavutettavuuden puutteet",
        "known.none": "Automaattiset tarkistukset eivät löytäneet puutteita.",
        "assessed.heading": "Miten saavutettavuus on arvioitu",
        "assessed.intro": "Jokainen alla luetelluista tarkistuksista ajetaan palvelun automaattisissa testeissä "
                          "Chromium-selaimessa. Tulokset on tuotettu {updated}.",
        "assessed.axe": "axe-core {version}, säännöt tunnisteilla {tags}",
        "assessed.keyboard": "Näppäimistökäyttö: sivun tehtävät tehdään pelkällä näppäimistöllä; tässä "
                             "selosteessa jokainen linkki tavoitetaan sarkaimella ja kohdistus näkyy",
        "tool.axe": "axe-core", "tool.keyboard": "näppäimistö",
        "result.pass": "ei puutteita", "result.not-run": "ei vielä ajettu",
        "result.fail": "löydetty: {findings}",
        "check": "{view} ({path}), {width} px, {tool}: {result}",
        "view.widget": "Palautewidget",
        "view.widget-notice": "Palautewidgetin kuittaus, tietosuojailmoitus avattuna",
        "view.dashboard-index": "Analytiikan etusivu",
        "view.dashboard-service": "Palvelun julkinen sivu", "view.dashboard-sign-in": "Organisaation kirjautuminen",
        "view.dashboard-organisation": "Organisaation sivu", "view.privacy": "Tietosuojaseloste",
        "view.receipt": "Vastaussivu", "view.statement": "Saavutettavuusseloste",
        "manual.heading": "Mitä ei tarkisteta automaattisesti",
        "manual.readers": "toiminta ruudunlukijoilla (esim. NVDA, VoiceOver) ja puheohjauksella",
        "manual.zoom": "tekstin suurentaminen 200 %:iin ja tekstin välistysten muuttaminen",
        "manual.content": "sisällön ymmärrettävyys: otsikoiden, linkkien ja ohjeiden selkeys",
        "manual.host": "organisaation oma sivu, jolle widget on upotettu",
        "dates.heading": "Selosteen laatiminen",
        "dates.prepared": "Seloste on laadittu {prepared}.",
        "dates.updated": "Tarkistusten tulokset on päivitetty {updated}.",
        "feedback.heading": "Palaute",
        "feedback.text": "Huomasitko puutteen? Kerro siitä meille, niin korjaamme sen tai toimitamme "
                         "sisällön saavutettavassa muodossa. Vastaamme 14 päivän kuluessa.",
        "feedback.contact": "Yhteystieto:",
        "enforcement.heading": "Valvontaviranomainen",
        "enforcement.text": "Jos et saa vastausta 14 päivässä tai olet tyytymätön vastaukseen, voit tehdä "
                            "ilmoituksen valvontaviranomaiselle. Saavutettavuuden valvonnasta vastaa "
                            "Lupa- ja valvontavirasto (vuoteen 2025 Etelä-Suomen aluehallintovirasto).",
        "enforcement.link": "Saavutettavuusvaatimukset.fi: ilmoita puutteesta",
        "privacy": "Tietosuoja",
    },
    "sv": {
        "name": "På svenska", "title": "Tillgänglighetsutlåtande", "languages": "Språk", "link": "Tillgänglighet",
        "intro": "Detta utlåtande gäller tjänsten arvio. Tjänsten omfattas av lagen om tillhandahållande av "
                 "digitala tjänster (306/2019), enligt vilken offentliga webbtjänster ska uppfylla kraven på nivå "
                 "A och AA i WCAG 2.1.",
        "scope.heading": "Vad utlåtandet gäller",
        "scope.widget": "responswidgeten som organisationerna bäddar in på sina e-tjänsters sidor "
                        "(den omgivande sidan hör till organisationen som bäddar in den)",
        "scope.dashboard": "analysvyn (/dashboard/): tjänsternas offentliga sidor och organisationernas sidor",
        "scope.pages": "dataskyddsbeskrivningen (/privacy), svarssidorna för respons (/r/…) och detta utlåtande",
        "status.heading": "Överensstämmelse med kraven",
        "status.full": "Tjänsten uppfyller kraven på nivå A och AA i WCAG 2.1.",
        "status.partial": "Tjänsten uppfyller delvis kraven på nivå A och AA i WCAG 2.1.",
        "status.failures": "De automatiska kontrollerna hittade brister (se nedan).",
        "status.unassessed": "Alla krav kan inte kontrolleras automatiskt, och en expert har ännu inte bedömt dem "
                             "(se ”Vad som inte kontrolleras automatiskt”).",
        "known.heading": "Brister i tillgängligheten",
        "known.none": "De automatiska kontrollerna hittade inga brister.",
        "assessed.heading": "Hur tillgängligheten har bedömts",
        "assessed.intro": "Var och en av kontrollerna nedan körs i tjänstens automatiska tester i webbläsaren "
                          "Chromium. Resultaten togs fram {updated}.",
        "assessed.axe": "axe-core {version}, regler med taggarna {tags}",
        "assessed.keyboard": "Tangentbordsanvändning: sidans uppgifter görs med enbart tangentbordet; i detta "
                             "utlåtande nås varje länk med tabbtangenten och fokus syns",
        "tool.axe": "axe-core", "tool.keyboard": "tangentbord",
        "result.pass": "inga brister", "result.not-run": "inte körd ännu",
        "result.fail": "hittade: {findings}",
        "check": "{view} ({path}), {width} px, {tool}: {result}",
        "view.widget": "Responswidget",
        "view.widget-notice": "Responswidgetens kvitto med dataskyddsinformationen öppen",
        "view.dashboard-index": "Analysvyns startsida",
        "view.dashboard-service": "Tjänstens offentliga sida", "view.dashboard-sign-in": "Organisationens inloggning",
        "view.dashboard-organisation": "Organisationens sida", "view.privacy": "Dataskyddsbeskrivning",
        "view.receipt": "Svarssida", "view.statement": "Tillgänglighetsutlåtande",
        "manual.heading": "Vad som inte kontrolleras automatiskt",
        "manual.readers": "användning med skärmläsare (t.ex. NVDA, VoiceOver) och röststyrning",
        "manual.zoom": "förstoring av texten till 200 % och ändrat textavstånd",
        "manual.content": "innehållets begriplighet: tydliga rubriker, länkar och anvisningar",
        "manual.host": "organisationens egen sida där widgeten är inbäddad",
        "dates.heading": "Om utlåtandet",
        "dates.prepared": "Utlåtandet utarbetades {prepared}.",
        "dates.updated": "Kontrollernas resultat uppdaterades {updated}.",
        "feedback.heading": "Respons",
        "feedback.text": "Har du upptäckt en brist? Berätta för oss, så rättar vi den eller ger dig innehållet i "
                         "tillgänglig form. Vi svarar inom 14 dagar.",
        "feedback.contact": "Kontakt:",
        "enforcement.heading": "Tillsynsmyndighet",
        "enforcement.text": "Om du inte får svar inom 14 dagar eller inte är nöjd med svaret kan du anmäla det "
                            "till tillsynsmyndigheten. Tillsynen över tillgängligheten sköts av Tillstånds- och "
                            "tillsynsverket (till och med 2025 Regionförvaltningsverket i Södra Finland).",
        "enforcement.link": "Saavutettavuusvaatimukset.fi: anmäl en brist",
        "privacy": "Dataskydd",
    },
    "en": {
        "name": "In English", "title": "Accessibility statement", "languages": "Language", "link": "Accessibility",
        "intro": "This statement concerns the arvio service. The service is subject to the Act on the Provision "
                 "of Digital Services (306/2019), which requires public web services to meet the level A and AA "
                 "requirements of WCAG 2.1.",
        "scope.heading": "What this statement covers",
        "scope.widget": "the feedback widget that organisations embed in their e-services' pages "
                        "(the surrounding page belongs to the organisation that embeds it)",
        "scope.dashboard": "the analytics dashboard (/dashboard/): services' public pages and organisations' pages",
        "scope.pages": "the privacy notice (/privacy), the feedback reply pages (/r/…) and this statement",
        "status.heading": "Compliance status",
        "status.full": "The service is fully compliant with the level A and AA requirements of WCAG 2.1.",
        "status.partial": "The service is partially compliant with the level A and AA requirements of WCAG 2.1.",
        "status.failures": "The automated checks found shortcomings (listed below).",
        "status.unassessed": "Not every requirement can be checked automatically, and an expert has not yet "
                             "evaluated those (see “What is not checked automatically”).",
        "known.heading": "Non-accessible content",
        "known.none": "The automated checks found no non-accessible content.",
        "assessed.heading": "How accessibility was assessed",
        "assessed.intro": "Each check below runs in the service's automated tests in the Chromium browser. The "
                          "results were produced on {updated}.",
        "assessed.axe": "axe-core {version}, rules tagged {tags}",
        "assessed.keyboard": "Keyboard use: the page's tasks are done with the keyboard alone; in this "
                             "statement every link is reached with the Tab key and the focus is visible",
        "tool.axe": "axe-core", "tool.keyboard": "keyboard",
        "result.pass": "no failures", "result.not-run": "not run yet",
        "result.fail": "found: {findings}",
        "check": "{view} ({path}), {width} px, {tool}: {result}",
        "view.widget": "Feedback widget",
        "view.widget-notice": "Feedback widget's receipt with the privacy notice open",
        "view.dashboard-index": "Dashboard start page",
        "view.dashboard-service": "Service's public page", "view.dashboard-sign-in": "Organisation sign-in",
        "view.dashboard-organisation": "Organisation's page", "view.privacy": "Privacy notice",
        "view.receipt": "Reply page", "view.statement": "Accessibility statement",
        "manual.heading": "What is not checked automatically",
        "manual.readers": "use with screen readers (e.g. NVDA, VoiceOver) and voice control",
        "manual.zoom": "text enlarged to 200 % and changed text spacing",
        "manual.content": "how understandable the content is: clear headings, links and instructions",
        "manual.host": "the organisation's own page in which the widget is embedded",
        "dates.heading": "About this statement",
        "dates.prepared": "This statement was prepared on {prepared}.",
        "dates.updated": "The check results were last updated on {updated}.",
        "feedback.heading": "Feedback",
        "feedback.text": "Did you notice a shortcoming? Tell us and we will fix it or give you the content in an "
                         "accessible form. We answer within 14 days.",
        "feedback.contact": "Contact:",
        "enforcement.heading": "Enforcement procedure",
        "enforcement.text": "If you get no answer within 14 days or you are not satisfied with the answer, you can "
                            "notify the supervising authority. Accessibility is supervised by the Finnish Permit "
                            "and Supervision Agency (Lupa- ja valvontavirasto; until 2025 the Regional State "
                            "Administrative Agency for Southern Finland).",
        "enforcement.link": "Saavutettavuusvaatimukset.fi: report a shortcoming",
        "privacy": "Privacy",
    },
}
"""Every text of the statement, by language (the same keys in each)."""

ENFORCEMENT_URL = "https://www.saavutettavuusvaatimukset.fi/"
"""The supervising authority's accessibility site (fi and sv; where a shortcoming is reported)."""
