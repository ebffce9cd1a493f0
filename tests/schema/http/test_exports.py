"""Publishing through GraphQL, and signed exports over HTTP (ETag, Last-Modified, tokens, tampering)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from exporters.signing import SignatureError, parse_public_key_set, verify
from federation.db import Database
from federation.publication.service import discard_draft
from federation.settings import Settings
from tests.conftest import SERVICE_A, SERVICE_B, Api
from tests.exporters.seed import PERIOD, add_answers, seed_ratings
from tests.schema.publication_support import CREATE_DRAFT, PUBLISH, publication_settings

LIST = "{ publications { number period status } }"


@pytest.fixture
def app_settings(database: Database, tmp_path: Path) -> Settings:
    return publication_settings(database, tmp_path)


@pytest.fixture
def published(api: Api) -> Api:
    """The api fixture's registry with 2025-Q4 ratings, published as publication 1 through GraphQL."""
    seed_ratings(api.database, with_registry=False)
    draft = api.gql(CREATE_DRAFT, {"period": PERIOD}, token="admin")
    assert draft["data"]["createPublicationDraft"]["status"] == "DRAFT", draft
    assert api.gql(LIST)["data"]["publications"] == []
    body = api.gql(PUBLISH, {"n": 1}, token="admin")
    assert body["data"]["publishPublication"]["status"] == "PUBLISHED"
    return api


def test_only_admins_publish(api: Api) -> None:
    seed_ratings(api.database, with_registry=False)
    body = api.gql(CREATE_DRAFT, {"period": PERIOD}, token="org_a")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    early = api.gql(CREATE_DRAFT, {"period": "2026-Q1"}, token="admin")
    assert early["errors"][0]["extensions"]["code"] == "PERIOD_NOT_ENDED"


def test_publications_are_listed_publicly_once_published(published: Api) -> None:
    assert published.gql(LIST)["data"]["publications"] == [
        {"number": 1, "period": "2025-Q4", "status": "PUBLISHED"}]
    again = published.gql(PUBLISH, {"n": 1}, token="admin")
    assert again["errors"][0]["extensions"]["code"] == "ALREADY_PUBLISHED"


def _keys(api: Api) -> dict[str, object]:
    response = api.client.get("/.well-known/arvio-export-keys.json")
    assert response.status_code == 200
    return parse_public_key_set(response.text)  # type: ignore[return-value]


@pytest.mark.parametrize("name", ["scores.json", "scores.csv", "scores.jsonld", "opendata.zip"])
def test_each_export_is_signed_and_cacheable(published: Api, name: str) -> None:
    response = published.client.get(f"/exports/1/{name}")
    assert response.status_code == 200, response.text
    assert response.headers["last-modified"] == "Mon, 16 Mar 2026 12:00:00 GMT"
    etag = response.headers["etag"]
    assert published.client.get(f"/exports/1/{name}", headers={"If-None-Match": etag}).status_code == 304
    signature = published.client.get(f"/exports/1/{name}.sig")
    assert signature.status_code == 200
    keys = _keys(published)
    assert verify(io.BytesIO(response.content), signature.text, keys).size == len(response.content)  # type: ignore[arg-type]
    tampered = bytearray(response.content)
    tampered[len(tampered) // 2] ^= 0x01
    with pytest.raises(SignatureError):
        verify(io.BytesIO(bytes(tampered)), signature.text, keys)  # type: ignore[arg-type]
    assert published.client.get(f"/exports/latest/{name}").content == response.content


def test_media_types(published: Api) -> None:
    kinds = {name: published.client.get(f"/exports/1/{name}").headers["content-type"]
             for name in ("scores.json", "scores.csv", "scores.jsonld", "opendata.zip")}
    assert kinds == {"scores.json": "application/json", "scores.csv": "text/csv; charset=utf-8",
                     "scores.jsonld": "application/ld+json", "opendata.zip": "application/zip"}


def test_the_live_catalogue_feed_needs_a_publisher_token(published: Api) -> None:
    anonymous = published.client.get("/exports/live/scores.json")
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    org = published.client.get("/exports/live/scores.json",
                               headers={"Authorization": f"Bearer {published.tokens['org_a']}"})
    assert org.status_code == 403
    ok = published.client.get("/exports/live/scores.json",
                              headers={"Authorization": f"Bearer {published.tokens['publisher']}"})
    assert ok.status_code == 200 and ok.json()["source"]["kind"] == "live"
    assert ok.headers["cache-control"] == "private, max-age=300"


def test_one_service_json_ld_is_public_and_signed(published: Api) -> None:
    for source in ("1", "live"):
        doc = published.client.get(f"/exports/{source}/services/{SERVICE_A.upper()}.jsonld")
        assert doc.status_code == 200
        assert doc.json()["@type"] == "GovernmentService" and doc.json()["identifier"] == SERVICE_A
        sig = published.client.get(f"/exports/{source}/services/{SERVICE_A}.jsonld.sig")
        verify(io.BytesIO(doc.content), sig.text, _keys(published))  # type: ignore[arg-type]
    missing = published.client.get(f"/exports/1/services/{SERVICE_B}.jsonld")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["extensions"]["code"] == "NO_PUBLISHED_SCORES"


def test_unknown_exports_and_drafts_are_not_found(published: Api) -> None:
    with published.database.transaction() as session:
        add_answers(session, SERVICE_A, None, "national.transaction-smooth", [5])
    draft = published.gql(CREATE_DRAFT, {"period": PERIOD, "note": "late answer"}, token="admin")
    assert draft["data"]["createPublicationDraft"]["replaces"] == 1
    assert published.client.get("/exports/2/scores.json").status_code == 404
    assert published.client.get("/exports/latest/scores.json").json()["source"]["publication"] == 1
    with published.database.transaction() as session:
        discard_draft(session, 2, now=published.clock.now, actor="test")
    assert published.client.get("/exports/1/scores.xml").status_code == 404
    assert published.client.get("/exports/7/scores.json").json()["errors"][0]["extensions"]["code"] == \
        "UNKNOWN_PUBLICATION"
    assert published.client.get("/exports/soon/scores.json").status_code == 400
    assert published.client.get("/exports/1/services/nope.jsonld").status_code == 404
