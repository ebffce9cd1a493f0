"""The receipt page's texts in fi, sv and en (schema/http/receipt.py)."""

from __future__ import annotations

LANGUAGES = ("fi", "sv", "en")

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "name": "Suomeksi", "title": "Palautteesi ja vastaus", "languages": "Kieli",
        "intro": "Annoit palautetta palvelusta {service} ({month}). Tällä sivulla näet organisaation julkisen "
                 "vastauksen, kun se on annettu.",
        "none": "Organisaatio ei ole vielä vastannut. Palaa sivulle myöhemmin.",
        "own": "Vastaus palautteeseesi", "group": "Vastaus aiheesta {driver} (palautteita {count})",
        "replied": "Vastattu", "change": "Muutos palvelussa",
        "unknown": "Tällä koodilla ei löydy sivua. Tarkista koodi (esim. 7KQ2-M9XD-4RTA-0HVN).",
        "limited": "Liian monta hakua. Odota hetki ja yritä uudelleen.", "privacy": "Tietosuoja",
    },
    "sv": {
        "name": "På svenska", "title": "Din respons och svaret", "languages": "Språk",
        "intro": "Du gav respons om tjänsten {service} ({month}). På den här sidan ser du organisationens "
                 "offentliga svar när det har getts.",
        "none": "Organisationen har inte svarat ännu. Kom tillbaka senare.",
        "own": "Svar på din respons", "group": "Svar om {driver} (responser: {count})",
        "replied": "Besvarad", "change": "Ändring i tjänsten",
        "unknown": "Ingen sida hittades med den här koden. Kontrollera koden (t.ex. 7KQ2-M9XD-4RTA-0HVN).",
        "limited": "För många sökningar. Vänta en stund och försök igen.", "privacy": "Dataskydd",
    },
    "en": {
        "name": "In English", "title": "Your feedback and the reply", "languages": "Language",
        "intro": "You gave feedback on the service {service} ({month}). This page shows the organisation's public "
                 "reply once it has been given.",
        "none": "The organisation has not replied yet. Please come back later.",
        "own": "Reply to your feedback", "group": "Reply about {driver} (answers: {count})",
        "replied": "Replied", "change": "Change to the service",
        "unknown": "No page was found for this code. Check the code (e.g. 7KQ2-M9XD-4RTA-0HVN).",
        "limited": "Too many look-ups. Wait a moment and try again.", "privacy": "Privacy",
    },
}
"""Every text of the page, by language."""
