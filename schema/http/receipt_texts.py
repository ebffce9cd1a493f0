"""The receipt page's texts (schema/http/receipt.py) as msgids of the gettext catalogs (federation/i18n/locales/);
``{service}``, ``{month}``, ``{driver}`` and ``{count}`` are filled in with ``str.format`` after translation."""

from __future__ import annotations

from federation.i18n.markers import N_

TEXTS: dict[str, str] = {
    "title": N_("Your feedback and the reply"), "languages": N_("Language"),
    "intro": N_("You gave feedback on the service {service} ({month}). This page shows the organisation's public "
                "reply once it has been given."),
    "none": N_("The organisation has not replied yet. Please come back later."),
    "own": N_("Reply to your feedback"), "group": N_("Reply about {driver} (answers: {count})"),
    "replied": N_("Replied"), "change": N_("Change to the service"),
    "unknown": N_("No page was found for this code. Check the code (e.g. 7KQ2-M9XD-4RTA-0HVN)."),
    "limited": N_("Too many look-ups. Wait a moment and try again."), "privacy": N_("Privacy"),
}
"""Every text of the page, by key."""
