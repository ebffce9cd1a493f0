"""The seed vocabulary of feedback themes: common subjects of public-service feedback in Finnish, Swedish, English.

Plain data (a pure module, tests/test_layers.py). A theme is a stable key, a label per language and, per language,
the words that mark it. Finnish words are written as base forms (Voikko's lemmas, compound parts included: a text's
"jonotusaika" is analysed as jonotusaika + jonottaa + aika, so "jonottaa" marks it); Swedish and English words are
stemmed with Snowball like the texts, and Swedish compounds are matched by their stemmed head or tail
(``federation/feedback/themes.py``). A term with spaces is a phrase of consecutive words ("opening hours").
Mind the stems: Snowball cuts Swedish "billig" (cheap) to "bil", which is also "bil" (car), so it is not listed;
``tests/federation/feedback/test_themes.py`` checks that no stem marks two themes.

The vocabulary is fixed and curated: theme keys derived from it carry nothing a citizen typed, so they are not
personal data. Organisations rename and merge these themes for themselves (``federation/feedback/service.py``);
they do not edit the vocabulary, which keeps the figures of different organisations comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class SeedTheme:
    """One theme of the seed vocabulary: its key, labels and marking words per language."""

    key: str
    labels: dict[str, str]
    terms: dict[str, tuple[str, ...]]


SEED_THEMES: tuple[SeedTheme, ...] = (
    SeedTheme(
        "queueing",
        {"fi": "Jonotus ja odotus", "sv": "Köer och väntan", "en": "Queueing and waiting"},
        {"fi": ("jono", "jonottaa", "jonotus", "odottaa", "odotus", "odotella", "odotuttaa", "vuoronumero",
                "jonotusnumero", "ruuhka", "ruuhkainen", "jonotusaika", "odotusaika", "tungos"),
         "sv": ("kö", "kön", "köer", "köa", "köade", "köande", "vänta", "väntan", "väntetid", "kölapp", "könummer",
                "trängsel", "rusning",
                "väntrum"),
         "en": ("queue", "queueing", "queuing", "wait", "waiting", "crowded", "crowd", "waiting room",
                "ticket number", "queue number", "ticket machine", "in line")},
    ),
    SeedTheme(
        "opening_hours",
        {"fi": "Aukioloajat", "sv": "Öppettider", "en": "Opening hours"},
        {"fi": ("aukioloaika", "aukiolo", "auki", "avoinna", "aueta", "aukaista", "sulkeutua", "suljettu",
                "kiinni", "sulkemisaika"),
         "sv": ("öppettid", "öppen", "öppet", "öppna", "öppethållande", "stängd", "stängt", "stänga", "stängning"),
         "en": ("opening hours", "open", "opened", "opens", "closed", "closing", "office hours", "opening times")},
    ),
    SeedTheme(
        "phone_reachability",
        {"fi": "Puhelinpalvelu ja tavoitettavuus", "sv": "Telefonservice och nåbarhet",
         "en": "Phone service and reachability"},
        {"fi": ("puhelin", "puhelu", "soittaa", "soitto", "tavoittaa", "tavoitettavuus", "takaisinsoitto",
                "linja", "puhelinaika", "soittopyyntö", "varattu"),
         "sv": ("telefon", "ringa", "samtal", "nå", "uppringning", "återuppringning", "telefontid", "upptagen",
                "linje", "telefonkö"),
         "en": ("phone", "telephone", "call", "callback", "call back", "reach", "on hold", "rang", "ring",
                "hotline", "engaged")},
    ),
    SeedTheme(
        "online_service",
        {"fi": "Verkkoasiointi", "sv": "E-tjänster", "en": "Online services"},
        {"fi": ("verkkopalvelu", "verkkoasiointi", "verkkosivu", "nettisivu", "netti", "sivusto", "sovellus",
                "lomake", "kirjautua", "kirjautuminen", "tunnistautua", "tunnistautuminen", "linkki", "sähköinen",
                "selain", "painike", "verkko", "sivu", "ajanvaraus", "järjestelmä", "mobiili", "appi"),
         "sv": ("webb", "webbplats", "webbsida", "webbtjänst", "etjänst", "sajt", "app", "appen", "formulär",
                "inloggning", "logga", "länk", "digital", "nätet", "internet", "sida", "knapp",
                "bankkod", "tidsbokning", "system"),
         "en": ("website", "site", "online", "app", "form", "login", "log in", "sign in", "link", "button",
                "page", "browser", "portal", "digital", "eservice", "booking system", "web")},
    ),
    SeedTheme(
        "staff_courtesy",
        {"fi": "Henkilökunnan ystävällisyys", "sv": "Personalens bemötande", "en": "Staff courtesy"},
        {"fi": ("ystävällinen", "ystävällisyys", "epäystävällinen", "kohtelias", "kohteliaisuus",
                "epäkohtelias", "töykeä", "tyly", "palvelualtis", "kohtelu", "käytös", "asenne", "avulias", "hymy",
                "ylimielinen", "kohdella", "kärsivällinen", "asiallinen", "epäasiallinen", "tervehtiä", "mukava"),
         "sv": ("vänlig", "ovänlig", "trevlig", "otrevlig", "oförskämd", "hjälpsam", "bemötande", "bemöta",
                "artig", "oartig", "snäll", "sur", "nonchalant", "arrogant", "attityd", "tålmodig", "hälsa",
                "ointresserad"),
         "en": ("friendly", "unfriendly", "rude", "polite", "impolite", "courteous", "courtesy", "attitude", "kind",
                "respectful", "arrogant", "treated", "dismissive", "smile", "pleasant", "unpleasant", "patient",
                "patiently", "lovely", "uninterested", "said hello")},
    ),
    SeedTheme(
        "information_clarity",
        {"fi": "Tiedon selkeys", "sv": "Tydlig information", "en": "Clear information"},
        {"fi": ("ohje", "ohjeistus", "tieto", "tiedote", "selkeä", "epäselvä", "selkeys", "ymmärtää",
                "ymmärrettävä", "sekava", "neuvo", "neuvoa", "opastus", "opastaa", "kirje", "informaatio",
                "tiedottaa", "selittää", "epäselvyys", "vaikeaselkoinen"),
         "sv": ("information", "info", "instruktion", "anvisning", "tydlig", "otydlig", "oklar", "förstå",
                "begriplig", "obegriplig", "förvirrande", "råd", "brev", "besked", "förklara", "förklaring"),
         "en": ("information", "info", "instructions", "instruction", "clear", "unclear", "confusing",
                "understand", "explain", "explanation", "guidance", "letter", "advice", "informed")},
    ),
    SeedTheme(
        "costs_fees",
        {"fi": "Hinnat ja maksut", "sv": "Avgifter och kostnader", "en": "Costs and fees"},
        {"fi": ("maksu", "maksaa", "hinta", "kallis", "halpa", "kustannus", "lasku", "laskutus", "euro",
                "ilmainen", "maksullinen", "hinnoittelu", "maksuton", "hintava"),
         "sv": ("avgift", "kostnad", "kosta", "pris", "dyr", "dyrt", "faktura", "betala", "gratis", "euro",
                "kostnadsfri", "avgiftsfri"),
         "en": ("fee", "fees", "cost", "price", "expensive", "cheap", "pay", "payment", "invoice", "bill",
                "charge", "charged", "euro", "euros", "free of charge", "pricey")},
    ),
    SeedTheme(
        "accessibility",
        {"fi": "Esteettömyys", "sv": "Tillgänglighet", "en": "Accessibility"},
        {"fi": ("esteetön", "esteettömyys", "pyörätuoli", "hissi", "luiska", "rollaattori", "porras", "portaat",
                "näkövammainen", "kuulovammainen", "saavutettava", "saavutettavuus", "apuväline", "lastenvaunu",
                "invapaikka", "liikuntarajoitteinen", "ruudunlukija", "induktiosilmukka", "kynnys"),
         "sv": ("tillgänglig", "tillgänglighet", "rullstol", "hiss", "ramp", "rullator", "trappa", "trappor",
                "rollator", "synskadad", "hörselskadad", "barnvagn", "rörelsehindrad", "skärmläsare", "handikapp",
                "funktionsnedsättning", "hörslinga", "tröskel"),
         "en": ("accessible", "accessibility", "inaccessible", "wheelchair", "lift", "elevator", "ramp", "stairs",
                "steps", "disabled", "disability", "walker", "pram", "stroller", "screen reader",
                "hearing loop", "visually impaired", "mobility")},
    ),
    SeedTheme(
        "language_service",
        {"fi": "Kielipalvelu", "sv": "Språkservice", "en": "Language service"},
        {"fi": ("ruotsi", "ruotsinkielinen", "englanti", "englanninkielinen", "kieli", "suomi", "tulkki",
                "tulkkaus", "käännös", "kääntää", "selkokieli", "kielitaito", "äidinkieli", "suomenkielinen"),
         "sv": ("svenska", "svensk", "finska", "finsk", "engelska", "språk", "tolk", "tolkning", "översättning",
                "översätta", "modersmål", "svenskspråkig", "finskspråkig", "lättläst", "språkkunskap"),
         "en": ("language", "swedish", "finnish", "english", "interpreter", "interpreting", "translation",
                "translate", "translated", "plain language", "native language")},
    ),
    SeedTheme(
        "parking_location",
        {"fi": "Pysäköinti ja sijainti", "sv": "Parkering och läge", "en": "Parking and location"},
        {"fi": ("pysäköinti", "parkkipaikka", "parkki", "pysäköidä", "parkkeerata", "sijainti", "bussi",
                "kulkuyhteys", "liikenneyhteys", "sijaita", "keskusta", "kaukana", "etäisyys", "parkkihalli",
                "pysäköintipaikka", "joukkoliikenne", "bussipysäkki", "autopaikka", "opaste", "kyltti"),
         "sv": ("parkering", "parkeringsplats", "parkera", "läge", "buss", "busshållplats", "avstånd",
                "centrum", "kollektivtrafik", "parkeringshus", "bilplats", "skyltning", "beläget", "belägen"),
         "en": ("parking", "park", "car park", "location", "located", "bus", "bus stop", "signposted",
                "signage", "distance", "far away", "public transport", "parked", "car")},
    ),
)
"""The curated seed themes, in the order they are listed to organisations."""



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "fi": _words("""ja tai mutta että kun jos niin kuin sekä eli vaan myös vielä jo aina ei en et emme ette eivät
        ole olla olen oli olivat on ovat olisi ollut minä sinä hän me te he se ne tämä tuo nämä nuo joka mikä
        kuka mitä jotka kaikki koko mitään jotain mikään joku jokin itse oma hyvin todella tosi erittäin aivan
        vain sitten nyt tänään eilen kyllä siis kuitenkin vielä liian melko aika paljon vähän enemmän kaikki
        sama muu toinen uusi kiitos hei voida saada tulla mennä tehdä pitää haluta asia kerta päivä"""),
    "sv": _words("""och eller men att när om så som också även ännu redan alltid inte ej är var vara varit
        blev bli jag du han hon vi ni de den det dessa detta denna som vilken vem vad alla all allt något någon
        ingen inget själv egen mycket väldigt helt bara sedan nu idag igår ja nej dock ganska lite mer mest
        samma annan ny tack hej kunna kan få komma gå göra måste vilja sak gång dag för från till med på av i
        en ett har hade skulle kunde ska man sig mig dig oss er dem här där"""),
    "en": _words("""and or but that when if so as also even still already always not no is are was were be
        been being i you he she we they it this that these those which who what all any some none myself own
        very really quite just then now today yesterday yes however too rather little more most same other
        new thanks thank hello can could get come go do did does done make must want thing time day for from
        to with on of in at by a an the have has had would should will my your our their me us them there
        here about after again anyone anything someone something nobody nothing everything everyone"""),
}
"""Function words that are never proposed as candidate themes (``federation/feedback/themes.py``)."""
