"""The record of processing: the same sections in fi/sv/en, configured figures filled in, served by GraphQL and
GET /privacy (in every catalog locale: the record in Finnish, marked, where its data lacks the language)."""

from __future__ import annotations

import pytest

from federation.i18n import catalogs
from federation.privacy.record import LOCALES, record_of_processing
from tests.conftest import Api

QUERY = """query($locale: Locale!) { recordOfProcessing(locale: $locale) {
  locale title summary updated sections { id heading items } } }"""
SECTIONS = ["controller", "purposes", "legal_basis", "data", "not_collected", "recipients", "retention", "rights",
            "safeguards"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_language_has_every_section_and_the_configured_figures(locale: str) -> None:
    record = record_of_processing(locale, retention_days=123, publication_threshold=17)
    assert [s.id for s in record.sections] == SECTIONS
    text = " ".join(item for s in record.sections for item in s.items)
    assert "123" in text and "17" in text and " 30 " in text
    assert "{" not in text and "}" not in text
    assert all(s.heading and s.items for s in record.sections)


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="available in fi, sv, en, not 'de'"):
        record_of_processing("de", retention_days=1, publication_threshold=10)


def test_graphql_serves_it_publicly_in_three_languages(api: Api) -> None:
    titles = {}
    for locale in ("FI", "SV", "EN"):
        body = api.gql(QUERY, {"locale": locale})
        assert "errors" not in body, body
        record = body["data"]["recordOfProcessing"]
        assert record["locale"] == locale and [s["id"] for s in record["sections"]] == SECTIONS
        titles[locale] = record["title"]
    assert titles["SV"].startswith("Registerförteckning") and titles["EN"].startswith("Record of processing")
    default = api.gql("{ recordOfProcessing { locale retention: sections { id items } } }")["data"]
    assert default["recordOfProcessing"]["locale"] == "FI"
    retention = next(s for s in default["recordOfProcessing"]["retention"] if s["id"] == "retention")
    assert "730 päivän" in " ".join(retention["items"])


def test_get_privacy_serves_json_and_html(api: Api) -> None:
    data = api.client.get("/privacy?locale=sv").json()
    assert data["locale"] == "sv" and [s["id"] for s in data["sections"]] == SECTIONS
    page = api.client.get("/privacy?locale=en", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in page.text and "<h2>Your rights</h2>" in page.text
    assert '<main><h1>Record of processing' in page.text and "<small>Last updated 2026-" in page.text
    assert 'lang="fi"' not in page.text.replace('hreflang="fi" lang="fi">Suomi</a>', "")
    bad = api.client.get("/privacy?locale=de")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "UNSUPPORTED_LOCALE"
    assert f"one of {', '.join(catalogs.available_locales())}," in bad.json()["error"]["message"]


def test_a_locale_without_the_record_reads_it_in_finnish_marked_as_finnish(api: Api) -> None:
    assert api.client.get("/privacy?locale=se").json()["locale"] == "fi"  # the language the record is in
    page = api.client.get("/privacy?locale=se", headers={"Accept": "text/html"})
    assert page.status_code == 200 and '<html lang="se">' in page.text
    fi_title = record_of_processing("fi", retention_days=1, publication_threshold=10).title
    assert f'<title lang="fi">{fi_title}</title>' in page.text and f"<h1>{fi_title}</h1>" in page.text
    assert '<nav aria-label="Kieli" lang="fi">' in page.text
    assert f'hreflang="se" lang="se" aria-current="true">{catalogs.language_name("se")}</a>' in page.text
    assert '<main lang="fi"><p id="record-language" lang="fi">Tätä selostetta ei ole' in page.text
    assert "<h2>Rekisterinpitäjä</h2>" in page.text and "<small>Päivitetty 2026-" in page.text
    assert '<a href="/accessibility?locale=se" lang="fi">Saavutettavuusseloste</a>' in page.text
    for landmark in ("<header>", "<nav ", "<main ", "<footer>"):
        assert landmark in page.text
