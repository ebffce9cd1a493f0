"""Languages over HTTP: ``/i18n/<locale>.json`` (the catalogs for the widget and the dashboard), ``locale=se`` on
the widget's routes and ``?lang=se`` on the receipt page, with Finnish fallbacks marked ``lang="fi"``."""

from __future__ import annotations

import re

import orjson
import pytest

from federation.i18n import catalogs
from federation.ratings.models import Rating
from tests.conftest import Api
from tests.schema.graphql.test_feedback import give_feedback
from tests.schema.widget_support import answer, draw, mint, pin_question, ticket_key


def test_a_catalog_is_json_with_a_content_hash_etag_for_any_origin(api: Api) -> None:
    response = api.client.get("/i18n/se.json", headers={"Origin": "https://e-service.example"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.content == catalogs.as_json("se")[0]
    assert response.json()["langs"]["Send"] == "fi"
    etag = response.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{20}"', etag)
    assert response.headers["access-control-allow-origin"] == "*" and "set-cookie" not in response.headers
    assert response.headers["cache-control"] == "public, max-age=3600"
    again = api.client.get("/i18n/se.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert api.client.get("/i18n/sv.json").headers["etag"] != etag


def test_the_locale_list_comes_from_the_catalogs(api: Api) -> None:
    body = api.client.get("/i18n/index.json").json()
    assert body == {"fallback": "fi", "locales": [
        {"code": "fi", "name": "Suomi"}, {"code": "en", "name": "English"},
        {"code": "se", "name": "Davvisámegiella"}, {"code": "sv", "name": "Svenska"}]}


@pytest.mark.parametrize("locale", ["xx", "FI", "se-FI", "fi.po", "f" * 300])
def test_a_locale_without_a_catalog_is_a_404_that_names_the_locales(api: Api, locale: str) -> None:
    response = api.client.get(f"/i18n/{locale}.json")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "NOT_FOUND" and "fi, en, se, sv" in body["message"] and locale not in body["message"]


def test_a_sami_draw_falls_back_to_finnish_and_says_so(api: Api) -> None:
    pin_question(api, "national.transaction-smooth")
    drawn = draw(api, locale="se")
    assert drawn["locale"] == "se"
    assert (drawn["question"]["text"], drawn["question"]["lang"]) == ("Kuinka asiointisi sujui?", "fi")
    assert {b["lang"] for b in drawn["followUps"]["bands"]} == {"fi"}
    assert drawn["followUps"]["drivers"][1] == {"code": "ease", "label": "Helppous", "lang": "fi"}
    swedish = draw(api, locale="sv")
    assert (swedish["question"]["lang"], swedish["followUps"]["drivers"][1]["lang"]) == ("sv", "sv")


def test_a_sami_answer_is_stored_with_its_locale(api: Api) -> None:
    pin_question(api, "national.transaction-smooth")
    drawn = draw(api, locale="se")
    outcome = answer(api, drawn, mint(api, ticket_key(api)), 2, locale="se")
    assert outcome["status"] == "ACCEPTED", outcome
    assert (outcome["followUp"]["question"], outcome["followUp"]["lang"]) == ("Mitä meidän pitäisi parantaa?", "fi")
    assert outcome["followUp"]["drivers"][0]["lang"] == "fi"
    with api.database.transaction(write=False) as session:
        assert [r.locale for r in session.query(Rating).filter(Rating.client_ref.like("ticket:%"))] == ["se"]


def test_a_locale_without_a_catalog_is_refused_with_the_locales(api: Api) -> None:
    refused = draw(api, locale="xx", status=400)
    assert refused["code"] == "BAD_REQUEST" and "locale=fi|en|se|sv" in refused["message"]
    response = api.client.post("/widget/answer", content=orjson.dumps(
        {"drawId": "x", "ticket": None, "value": 1, "locale": "xx"}))
    assert response.status_code == 400 and "fi, en, se, sv" in response.json()["message"]


def test_the_receipt_page_in_sami_marks_its_finnish_texts(api: Api) -> None:
    pin_question(api, "national.transaction-smooth")
    code = give_feedback(api, text="Jonotin tunnin")
    page = api.client.get(f"/r/{code}?lang=se").text
    assert '<html lang="se">' in page
    assert '<h1 lang="fi">Palautteesi ja vastaus</h1>' in page
    assert '<p lang="fi">Organisaatio ei ole vielä vastannut.' in page
    assert 'hreflang="se" lang="se" aria-current="true">Davvisámegiella</a>' in page
    assert 'href="/privacy?locale=se" lang="fi">Tietosuoja</a>' in page  # the privacy page's chrome in se
    assert api.client.get(f"/r/{code}", headers={"Accept-Language": "se-FI, fi;q=0.5"}).text.count(
        '<html lang="se">') == 1
    swedish = api.client.get(f"/r/{code}?lang=sv").text
    assert '<h1>Din respons och svaret</h1>' in swedish and 'lang="fi"' not in swedish.replace(
        'hreflang="fi" lang="fi"', "")


@pytest.mark.parametrize(("query", "locale"), [("?lang=se", "se"), ("?lang=sv", "sv"), ("?lang=xx", "fi"), ("", "fi")])
def test_a_dashboard_page_carries_the_locales_and_its_languages_catalog(api: Api, query: str, locale: str) -> None:
    response = api.client.get(f"/dashboard/{query}")
    assert response.headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")
    found = re.search(r'<script type="application/json" id="arvio-i18n">(.*?)</script>', response.text)
    assert found is not None and "<" not in found.group(1)
    data = orjson.loads(found.group(1))
    assert [entry["code"] for entry in data["index"]["locales"]] == list(catalogs.available_locales())
    assert data["catalog"] == orjson.loads(catalogs.as_json(locale)[0])
