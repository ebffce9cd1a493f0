"""The gettext catalogs: the locale list from the folder, lookups along se → fi, plurals, missing strings."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from babel.messages.pofile import read_po, write_po

from federation.i18n import catalogs, extraction
from federation.i18n.catalogs import Text, gettext, lookup, missing, ngettext, pgettext
from schema.cli.main import main


def test_the_locales_are_the_catalogs_finnish_first() -> None:
    assert catalogs.available_locales() == ("fi", "en", "se", "sv")
    assert [catalogs.language_name(code) for code in catalogs.available_locales()] == [
        "Suomi", "English", "Davvisámegiella", "Svenska"]


@pytest.mark.parametrize("code", ["", "FI", "fi ", "xx", "../fi", "f" * 10_000, None, 7, ["fi"]])
def test_anything_but_a_catalog_code_is_no_locale(code: object) -> None:
    assert not catalogs.is_locale(code)


def test_each_locale_reads_its_own_catalog() -> None:
    assert [lookup(code, "Send") for code in ("fi", "sv", "en")] == [
        Text("Lähetä", "fi"), Text("Skicka", "sv"), Text("Send", "en")]


def test_northern_sami_falls_back_to_finnish_and_says_so() -> None:
    assert lookup("se", "Send") == Text("Lähetä", "fi")
    assert lookup("se", *reversed(catalogs.LANGUAGE_NAME)) == Text("Davvisámegiella", "se")
    assert gettext("xx", "Send") == "Lähetä"  # an unknown locale reads Finnish
    assert lookup("sv", "no such msgid") == Text("no such msgid", "en")


def test_a_context_tells_equal_msgids_apart() -> None:
    assert pgettext("fi", "fetching", "Loading…") == "Haetaan…"
    assert gettext("fi", "Loading…") == "Ladataan…"
    assert (gettext("fi", "Services"), pgettext("fi", "count", "Services")) == ("Palvelut", "Palveluja")


@pytest.mark.parametrize(("locale", "n", "expected"), [
    ("fi", 1, Text("{count} vastaus", "fi")), ("fi", 11, Text("{count} vastausta", "fi")),
    ("fi", 0, Text("{count} vastausta", "fi")), ("en", 1, Text("{count} answer", "en")),
    ("en", 2, Text("{count} answers", "en")), ("sv", 2, Text("{count} svar", "sv")),
    ("se", 2, Text("{count} vastausta", "fi")),  # Finnish forms, by the Finnish rule
])
def test_plurals_follow_the_catalogs_plural_forms(locale: str, n: int, expected: Text) -> None:
    found = ngettext(locale, "{count} answer", "{count} answers", n)
    assert found == expected
    assert found.text.format(count=n) == expected.text.replace("{count}", str(n))


def test_northern_sami_plural_forms_pick_by_its_own_rule(locale_dir: object) -> None:
    path = catalogs.po_path("se")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="se")
    catalog["{count} answer"].string = ("{count} one", "{count} two", "{count} other")
    with path.open("wb") as handle:
        write_po(handle, catalog)
    catalogs.clear_caches()
    assert [ngettext("se", "{count} answer", "{count} answers", n).text for n in (1, 2, 3, 0)] == [
        "{count} one", "{count} two", "{count} other", "{count} other"]


def test_missing_lists_what_sami_lacks_with_the_finnish_text_and_where_it_is_used() -> None:
    found = {(m.context, m.msgid): m for m in missing("se")}
    send = found[(None, "Send")]
    assert send.finnish == "Lähetä" and any(p.startswith("schema/http/static/arvio-widget.js:") for p in send.locations)
    assert found[(None, "Where did we succeed especially?")].locations[0].startswith("federation/battery/followups.py")
    assert (catalogs.LANGUAGE_NAME[0], catalogs.LANGUAGE_NAME[1]) not in found
    assert len(found) == len(catalogs.catalog("fi")) - 1  # everything but the language's name


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_finnish_swedish_and_english_are_complete(locale: str) -> None:
    assert missing(locale) == []


def test_a_fuzzy_translation_is_missing(locale_dir: object) -> None:
    path = catalogs.po_path("sv")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    catalog["Send"].flags.add("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog)
    catalogs.clear_caches()
    assert [m.msgid for m in missing("sv")] == ["Send"]
    assert lookup("sv", "Send") == Text("Lähetä", "fi")


def test_a_new_catalog_is_a_new_locale_without_code(locale_dir: object) -> None:
    target = catalogs.po_path("smn")  # Inari Sámi
    target.parent.mkdir(parents=True)
    target.write_bytes(catalogs.po_path("se").read_bytes().replace(b"Davvis\xc3\xa1megiella", b""))
    catalogs.clear_caches()
    assert "smn" in catalogs.available_locales()
    assert lookup("smn", "Send") == Text("Lähetä", "fi") and catalogs.language_name("smn") == "smn"


def test_the_json_catalog_marks_every_fallback_with_its_language() -> None:
    body, etag = catalogs.as_json("se")
    data = orjson.loads(body)
    assert (data["locale"], data["name"], data["fallback"]) == ("se", "Davvisámegiella", "fi")
    assert data["messages"]["Send"] == "Lähetä" and data["langs"]["Send"] == "fi"
    assert data["messages"]["fetching\x04Loading…"] == "Haetaan…"
    assert data["messages"]["{count} answer"] == ["{count} vastaus", "{count} vastausta"]
    assert "language name\x04English" not in data["langs"]
    assert set(data["langs"].values()) == {"fi"}
    sv = orjson.loads(catalogs.as_json("sv")[0])
    assert sv["langs"] == {} and sv["messages"]["Send"] == "Skicka"
    assert etag != catalogs.as_json("sv")[1] and etag.startswith('"')


def test_the_catalogs_match_the_code() -> None:
    """`arvio i18n check`: every msgid in Python and JavaScript is in the catalogs, none is stale, and fi/sv/en
    translate all of them (Babel's extractors with federation/i18n/babel.cfg)."""
    assert extraction.problems() == []


def test_the_cli_lists_missing_strings_for_translators(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["i18n", "missing", "se"]) == 0
    out = capsys.readouterr().out
    assert "Send\n    fi: Lähetä\n    at: schema/http/static/arvio-page.js:" in out  # every place, in path order
    assert "schema/http/static/arvio-widget.js:" in out.split("Send\n")[1].split("\n")[1]
    assert f"{len(missing('se'))} of {len(catalogs.catalog('fi'))} strings missing in se" in out
    assert main(["i18n", "missing", "xx"]) == 2
    assert "no catalog for locale 'xx'" in capsys.readouterr().err
    assert main(["i18n", "check"]) == 0
    assert "fi, sv, en are complete" in capsys.readouterr().out


def test_update_keeps_every_translation(locale_dir: object) -> None:
    """Source locations may move (they are refreshed); translations and the check's verdict do not."""
    before = {code: orjson.loads(catalogs.as_json(code)[0]) for code in catalogs.available_locales()}
    extraction.update()
    assert {code: orjson.loads(catalogs.as_json(code)[0]) for code in catalogs.available_locales()} == before
    assert extraction.problems() == []


def test_update_adds_a_new_msgid_everywhere_untranslated_and_drops_unused_ones(
        locale_dir: object, tmp_path: Path) -> None:
    root = tmp_path / "src"
    (root / "federation").mkdir(parents=True)
    (root / "federation" / "texts.py").write_text('from x import N_\nHELLO = N_("A brand new text")\n')
    changed = extraction.update(root)
    assert {p.name for p in changed} == {"arvio.po", "arvio.pot"}
    assert lookup("sv", "A brand new text") == Text("A brand new text", "en")  # empty everywhere, even in fi
    assert [m.msgid for m in missing("se")] == ["A brand new text"]
    assert lookup("sv", "Send") == Text("Send", "en")  # no longer used by that code: dropped
    assert any("'A brand new text' has no translation" in p for p in extraction.problems(root))
