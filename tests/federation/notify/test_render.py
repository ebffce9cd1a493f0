"""The notification messages' words come from the gettext catalogs (federation/notify/render.py): complete in
fi/sv/en, Finnish for a locale whose catalog lacks them."""

from __future__ import annotations

import pytest

from federation.i18n import catalogs
from federation.notify.render import TEXTS, render_test


@pytest.mark.parametrize(("locale", "subject", "body"), [
    ("fi", "arvio: testiviesti", "Tämä on arvion testiviesti. Ilmoitukset toimivat."),
    ("sv", "arvio: testmeddelande", "Detta är ett testmeddelande från arvio. Aviseringarna fungerar."),
    ("en", "arvio: test message", "This is a test message from arvio. Notifications work."),
    ("se", "arvio: testiviesti", "Tämä on arvion testiviesti. Ilmoitukset toimivat."),
])
def test_the_test_message_in_each_locale(locale: str, subject: str, body: str) -> None:
    message = render_test(locale)
    assert message.subject == subject and message.text.startswith(body + "\n")
    assert f"<title>{subject}</title>" in message.html


def test_every_word_is_translated_in_the_complete_languages() -> None:
    for locale in ("fi", "sv", "en"):
        assert all(catalogs.lookup(locale, msgid, context).lang == locale for context, msgid in TEXTS.values())
