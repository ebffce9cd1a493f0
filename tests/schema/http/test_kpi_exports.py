"""Service KPIs in the signed HTTP exports: the same figures the public GraphQL KPIs show, frozen in a publication
while a correction through reportServiceVolumes moves the live feed; a tiny service never appears."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import frictionless
import pytest

from exporters.signing import parse_public_key_set, verify
from federation.db import Database
from federation.settings import Settings
from tests.conftest import CHANNEL_A, SERVICE_A, SERVICE_B, Api
from tests.exporters.kpi_seed import CHANNEL_B, EXPECTED_A, seed_volumes
from tests.exporters.seed import PERIOD, seed_ratings
from tests.schema.publication_support import CREATE_DRAFT, PUBLISH, publication_settings

PUBLIC_KPIS = """query($id: ID!, $from: DateTime, $to: DateTime) { service(id: $id) { kpis(from: $from, to: $to) {
  firstDay lastDay channelDays transactionsCompleted digitalTransactions transactionsStarted contactsReceived
  contactsAnsweredDirectly callbacks contactsAbandoned ratingsAnswered ratingsSkipped ratingsCovered
  waitingTime { underOneMinute oneToFiveMinutes fiveToFifteenMinutes overFifteenMinutes }
  digitalTakeUp completionRate answeredDirectlyShare callbackShare abandonmentRate coverage responseRate
  medianWait { minutes openEnded } p90Wait { minutes openEnded } costPerTransaction
  resolvedAtFirstContact firstContactResolution
  requestQueue { requestsReceived requestsResolved backlogDay backlog
    backlogAges { underOneDay oneToThreeDays threeToSevenDays sevenToFourteenDays overFourteenDays }
    medianBacklogAge { days openEnded } oldestShare estimatedResolutionDays } } } }"""
REPORT = """mutation($input: ReportServiceVolumesInput!) {
  reportServiceVolumes(input: $input) { accepted corrected } }"""
Q4_WINDOW = {"from": "2025-10-01T00:00:00+03:00", "to": "2026-01-01T00:00:00+02:00"}


@pytest.fixture
def app_settings(database: Database, tmp_path: Path) -> Settings:
    return publication_settings(database, tmp_path)


@pytest.fixture
def published(api: Api) -> Api:
    """2025-Q4 ratings and volumes, published as publication 1 through GraphQL."""
    seed_ratings(api.database, with_registry=False)
    seed_volumes(api.database)
    assert api.gql(CREATE_DRAFT, {"period": PERIOD}, token="admin")["data"]["createPublicationDraft"]["number"] == 1
    assert api.gql(PUBLISH, {"n": 1}, token="admin")["data"]["publishPublication"]["status"] == "PUBLISHED"
    return api


def get(api: Api, path: str) -> bytes:
    response = api.client.get(path, headers={"Authorization": f"Bearer {api.tokens['publisher']}"})
    assert response.status_code == 200, response.text
    content: bytes = response.content
    return content


def exported_kpis(api: Api, source: str) -> dict[str, Any]:
    doc = json.loads(get(api, f"/exports/{source}/scores.json"))
    return {sid: entry["kpis"] for sid, entry in doc["services"].items() if "kpis" in entry}


def without_intervals(value: Any) -> Any:
    """``value`` without its ``…Interval`` keys, at every depth."""
    if isinstance(value, dict):
        return {k: without_intervals(v) for k, v in value.items() if not k.endswith("Interval")}
    return value


def rounded(value: Any) -> Any:
    """Floats rounded to 4 decimals as the exports write them, at every depth."""
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return round(value, 4) if isinstance(value, float) else value


def test_exported_kpis_are_the_public_graphql_kpis(published: Api) -> None:
    kpis = exported_kpis(published, "1")
    assert list(kpis) == [SERVICE_A]
    public = published.gql(PUBLIC_KPIS, {"id": SERVICE_A, **Q4_WINDOW})["data"]["service"]["kpis"]
    exported = without_intervals(kpis[SERVICE_A])
    assert exported == rounded(public) == without_intervals(EXPECTED_A)
    tiny = published.gql(PUBLIC_KPIS, {"id": SERVICE_B, **Q4_WINDOW})["data"]["service"]["kpis"]
    assert tiny["transactionsCompleted"] is None  # the same threshold rule hides it in GraphQL


def test_the_package_zip_holds_the_kpi_resource_signed_and_valid(published: Api, tmp_path: Path) -> None:
    content = get(published, "/exports/1/opendata.zip")
    keys = parse_public_key_set(published.client.get("/.well-known/arvio-export-keys.json").text)
    verify(io.BytesIO(content), published.client.get("/exports/1/opendata.zip.sig").text, keys)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["datapackage.json", "scores.csv", "service_kpis.csv"]
        archive.extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert SERVICE_A in (tmp_path / "service_kpis.csv").read_text(encoding="utf-8")


def test_a_volume_correction_moves_live_exports_only(published: Api) -> None:
    frozen = {name: get(published, f"/exports/1/{name}") for name in ("scores.json", "opendata.zip")}
    etag = published.client.get("/exports/1/scores.json").headers["etag"]
    live = exported_kpis(published, "live")[SERVICE_A]
    body = published.gql(REPORT, {"input": {"volumes": [
        {"serviceId": SERVICE_A, "channelId": CHANNEL_A, "day": "2025-11-01", "transactionsCompleted": 50,
         "transactionsStarted": 60}]}}, token="org_a")
    assert body["data"]["reportServiceVolumes"] == {"accepted": 1, "corrected": 1}, body
    assert {name: get(published, f"/exports/1/{name}") for name in frozen} == frozen
    assert published.client.get("/exports/1/scores.json").headers["etag"] == etag
    assert get(published, "/exports/latest/scores.json") == frozen["scores.json"]
    moved = exported_kpis(published, "live")[SERVICE_A]
    assert (live["transactionsCompleted"], moved["transactionsCompleted"]) == (305, 325)
    assert exported_kpis(published, "1")[SERVICE_A]["transactionsCompleted"] == 305


def test_a_tiny_service_never_appears_over_http(published: Api) -> None:
    for source in ("1", "live"):
        for name in ("scores.json", "scores.csv", "scores.jsonld", "opendata.zip"):
            content = get(published, f"/exports/{source}/{name}")
            if name.endswith(".zip"):
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    content = b"".join(archive.read(n) for n in archive.namelist())
            assert SERVICE_B.encode() not in content and CHANNEL_B.encode() not in content
        missing = published.client.get(f"/exports/{source}/services/{SERVICE_B}.jsonld")
        assert missing.status_code == 404


def test_a_service_with_kpis_only_is_in_the_json_feed_not_in_json_ld(api: Api) -> None:
    seed_ratings(api.database, with_registry=False)
    seed_volumes(api.database, service_b_transactions=40)  # enough volume, still only 9 ratings
    assert exported_kpis(api, "live")[SERVICE_B]["transactionsCompleted"] == 40
    assert SERVICE_B.encode() not in get(api, "/exports/live/scores.jsonld")
    missing = api.client.get(f"/exports/live/services/{SERVICE_B}.jsonld")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["extensions"]["code"] == "NO_PUBLISHED_SCORES"
