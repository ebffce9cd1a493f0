"""Round trips of every export format, on a frozen publication and on live figures; nothing unpublished leaks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import frictionless
import pytest

from exporters import jsonld, opendata, ptv, tabular
from exporters.publications import ExportDataset, load_dataset, materialised, resolve_source
from federation.db import Database
from federation.publication import service
from federation.publication.periods import Period
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, SERVICE_A, SERVICE_B
from tests.exporters.seed import PERIOD, SMOOTH, seed_ratings

UNPUBLISHED_QUESTION = "national.easy-to-use"


@pytest.fixture
def published(database: Database) -> Database:
    """The seeded scenario with 2025-Q4 frozen as publication 1."""
    seed_ratings(database)
    with database.transaction() as session:
        service.create_draft(session, Period.parse(PERIOD), now=NOW, actor="test", publication_threshold=10)
        service.publish(session, 1, now=NOW, actor="test")
    return database


def dataset(database: Database, spec: str = "1") -> ExportDataset:
    with database.transaction(write=False) as session:
        source = resolve_source(session, spec, now=NOW, publication_threshold=10)
        return materialised(load_dataset(session, source))


def text(chunks: Any) -> str:
    return b"".join(chunks).decode("utf-8")


def test_ptv_json_is_keyed_by_service_channel_and_question(published: Database) -> None:
    doc = json.loads(text(ptv.render(dataset(published))))
    assert doc["format"] == "arvio-ptv-scores" and doc["formatVersion"] == 1
    assert doc["source"] == {"kind": "publication", "publication": 1, "replaces": None, "period": "2025-Q4",
                             "from": "2025-10-01T00:00:00Z", "to": "2026-01-01T00:00:00Z",
                             "asOf": "2026-03-16T12:00:00Z", "publicationThreshold": 10}
    assert doc["questions"][SMOOTH] == {"scale": "STARS_5", "wordings": {"1": {
        "fi": "Kuinka asiointisi sujui?", "sv": "Hur gick ditt ärende?", "en": "How did your transaction go?"}}}
    assert list(doc["services"]) == [SERVICE_A]
    entry = doc["services"][SERVICE_A]
    assert entry["names"] == {"fi": "Kirjastokortti", "sv": "Bibliotekskort", "en": "Library card"}
    assert entry["organisations"][0]["businessId"] == "1000001-2"
    assert sorted(entry["scores"]) == ["national.nps", SMOOTH]
    total = entry["scores"][SMOOTH][0]
    assert (total["count"], total["skipped"], total["wordingVersion"], total["mean"]) == (22, 2, 1, 3.8636)
    assert total["distribution"] == [{"value": 1, "count": 1}, {"value": 2, "count": 2},
                                     {"value": 3, "count": 3}, {"value": 4, "count": 9},
                                     {"value": 5, "count": 7}]
    assert entry["scores"]["national.nps"][0]["nps"] == 40.0
    assert sorted(entry["channels"]) == sorted([CHANNEL_A, CHANNEL_PHONE])
    online = entry["channels"][CHANNEL_A]
    assert online["channelType"] == "EChannel" and online["names"]["en"] == "Online"
    assert list(online["scores"]) == [SMOOTH] and online["scores"][SMOOTH][0]["count"] == 12


def test_csv_round_trip_states_period_publication_and_wording(published: Database) -> None:
    rows = list(csv.DictReader(io.StringIO(text(tabular.render(dataset(published))), newline="")))
    assert list(rows[0]) == list(tabular.HEADER)
    assert [(r["level"], r["channel_id"], r["question_id"], r["count"]) for r in rows] == [
        ("service", "", "national.nps", "10"), ("service", "", SMOOTH, "22"),
        ("channel", CHANNEL_A, SMOOTH, "12"), ("channel", CHANNEL_PHONE, "national.nps", "10"),
        ("channel", CHANNEL_PHONE, SMOOTH, "10")]
    first = rows[1]
    assert (first["source"], first["publication"], first["period"], first["period_start"], first["period_end"],
            first["wording_version"], first["scale"], first["mean"], first["nps"]) == (
        "publication", "1", "2025-Q4", "2025-10-01T00:00:00Z", "2026-01-01T00:00:00Z", "1", "STARS_5",
        "3.8636", "")
    assert float(first["mean_low"]) < 3.8636 < float(first["mean_high"])


def test_jsonld_has_the_schema_org_keys(published: Database) -> None:
    doc = json.loads(text(jsonld.render(dataset(published))))
    assert doc["@context"] == "https://schema.org"
    head, *services = doc["@graph"]
    assert head["@type"] == "Dataset" and head["temporalCoverage"] == "2025-10-01T00:00:00Z/2026-01-01T00:00:00Z"
    assert head["version"] == "1"
    [node] = services
    assert node["@type"] == "GovernmentService" and node["identifier"] == SERVICE_A
    assert {"@language": "sv", "@value": "Bibliotekskort"} in node["name"]
    assert node["provider"][0] == {"@type": "GovernmentOrganization", "identifier": "1000001-2", "name": [
        {"@language": "fi", "@value": "Esimerkkilän kaupunki"}, {"@language": "sv", "@value": "Exempelby stad"},
        {"@language": "en", "@value": "City of Example"}]}
    ratings = node["aggregateRating"]
    assert [r["reviewAspect"] for r in ratings] == [SMOOTH, "national.nps"]
    for rating in ratings:
        assert {"@type", "ratingValue", "ratingCount", "bestRating", "worstRating", "reviewAspect"} <= set(rating)
        assert rating["@type"] == "AggregateRating"
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert rating["ratingCount"] >= 10
    assert (ratings[0]["ratingValue"], ratings[0]["ratingCount"], ratings[0]["bestRating"],
            ratings[0]["worstRating"]) == (3.86, 22, 5, 1)
    assert (ratings[1]["bestRating"], ratings[1]["worstRating"]) == (10, 0)
    assert "wording version 1" in ratings[0]["description"] and "2025-Q4" in ratings[0]["description"]
    assert {"@language": "en", "@value": "How did your transaction go?"} in ratings[0]["name"]
    one = json.loads(jsonld.service_document(dataset(published), next(iter(dataset(published).services))))
    assert one["@context"] == "https://schema.org" and one["aggregateRating"] == ratings


def test_open_data_package_validates_with_frictionless(published: Database, tmp_path: Path) -> None:
    files = opendata.write_package(dataset(published), tmp_path / "package")
    assert [f.name for f in files] == ["scores.csv", "service_kpis.csv", "datapackage.json"]
    report = frictionless.validate(str(tmp_path / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "1.0.0" and descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]] == list(tabular.HEADER)
    members = opendata.read_zip(b"".join(opendata.render_zip(dataset(published))))
    assert members["scores.csv"] == (tmp_path / "package" / "scores.csv").read_bytes()
    assert members["datapackage.json"] == (tmp_path / "package" / "datapackage.json").read_bytes()


def test_a_tampered_package_fails_validation(published: Database, tmp_path: Path) -> None:
    opendata.write_package(dataset(published), tmp_path)
    csv_path = tmp_path / "scores.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b",22,", b",23,"))
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_unpublished_scores_never_appear_in_any_export(published: Database) -> None:
    for spec in ("1", "live"):
        data = dataset(published, spec)
        outputs = [text(ptv.render(data)), text(tabular.render(data)), text(jsonld.render(data)),
                   str(opendata.read_zip(b"".join(opendata.render_zip(data))))]
        for output in outputs:
            assert UNPUBLISHED_QUESTION not in output
            assert SERVICE_B not in output


def test_live_figures_state_their_window(published: Database) -> None:
    data = dataset(published, "live")
    assert (data.source.kind, data.source.number, data.source.as_of) == ("live", None, NOW)
    assert [s.service_id for s in data.services] == [SERVICE_A]


def test_exports_are_byte_for_byte_stable(published: Database) -> None:
    for render in (ptv.render, tabular.render, jsonld.render, opendata.render_zip):
        assert b"".join(render(dataset(published))) == b"".join(render(dataset(published)))
