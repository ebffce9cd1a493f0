"""Published service KPIs in the exports, on SQLite and PostgreSQL: round trips of every touched format, tiny
volumes never published, frozen publications unchanged by a later volume correction while live figures follow."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import pytest
from sqlalchemy import func, select

from exporters import jsonld, kpis, opendata, ptv, tabular
from exporters.publications import ExportDataset, load_dataset, resolve_source
from federation.db import Database
from federation.publication import service
from federation.publication.kpis import live_service_kpis, publication_kpis
from federation.publication.models import PublicationKpi
from federation.publication.periods import Period
from tests.conftest import NOW, ORG_A, SERVICE_A, SERVICE_B
from tests.exporters.kpi_seed import CHANNEL_B, EXPECTED_A, ONLINE_DAYS, online, seed_volumes, send
from tests.exporters.seed import PERIOD, seed_ratings
from tests.exporters.test_formats import dataset, text

Q4 = Period.parse(PERIOD)
INTERVALS = ("digitalTakeUp", "completionRate", "answeredDirectlyShare", "callbackShare", "abandonmentRate",
             "coverage", "responseRate", "firstContactResolution")


def freeze(database: Database) -> None:
    with database.transaction() as session:
        number = service.create_draft(session, Q4, now=NOW, actor="test", publication_threshold=10).number
        service.publish(session, number, now=NOW, actor="test")


@pytest.fixture
def published(database: Database) -> Database:
    """Ratings and volumes of 2025-Q4, frozen as publication 1."""
    seed_ratings(database)
    seed_volumes(database)
    freeze(database)
    return database


def ptv_kpis(data: ExportDataset) -> dict[str, Any]:
    doc = json.loads(text(ptv.render(data)))
    return {sid: entry.get("kpis") for sid, entry in doc["services"].items()}


def kpi_rows(data: ExportDataset) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text(kpis.render(data)), newline="")))


def all_outputs(data: ExportDataset) -> list[str]:
    return [text(ptv.render(data)), text(tabular.render(data)), text(jsonld.render(data)),
            str(opendata.read_zip(b"".join(opendata.render_zip(data))))]


def test_ptv_json_carries_the_published_kpis(published: Database) -> None:
    for spec in ("1", "live"):
        found = ptv_kpis(dataset(published, spec))
        assert list(found) == [SERVICE_A]
        entry = dict(found[SERVICE_A])
        for name in INTERVALS:
            interval = entry.pop(f"{name}Interval")
            assert interval["low"] <= entry[name] <= interval["high"], name
        expected = dict(EXPECTED_A)
        if spec == "live":  # the live window's whole reporting days, ending yesterday (Finnish time)
            expected.update(firstDay="2025-03-16", lastDay="2026-03-15")
        assert entry == expected


def test_service_kpis_csv_round_trip(published: Database) -> None:
    [row] = kpi_rows(dataset(published))
    assert list(row) == list(kpis.HEADER)
    assert (row["source"], row["publication"], row["period"], row["first_day"], row["last_day"],
            row["service_id"], row["service_name_en"], row["channel_days"]) == (
        "publication", "1", "2025-Q4", "2025-10-01", "2025-12-31", SERVICE_A, "Library card", "15")
    assert (row["transactions_completed"], row["digital_transactions"], row["transactions_started"],
            row["contacts_received"], row["callbacks"], row["wait_under_1_min"], row["wait_over_15_min"],
            row["ratings_answered"], row["ratings_covered"]) == ("305", "300", "400", "60", "10", "20", "5", "37",
                                                                 "37")
    assert (row["digital_take_up"], row["completion_rate"], row["coverage"], row["response_rate"]) == (
        "0.9836", "0.75", "0.1213", "0.9487")
    assert float(row["completion_rate_low"]) < 0.75 < float(row["completion_rate_high"])
    assert (row["median_wait_minutes"], row["median_wait_open_ended"], row["p90_wait_minutes"],
            row["p90_wait_open_ended"]) == ("1.0", "false", "15.0", "true")
    assert (row["cost_per_transaction"], row["publication_threshold"]) == ("", "10")  # 5 transactions: hidden


def test_open_data_package_with_kpis_validates_and_reads_back_typed(published: Database, tmp_path: Path) -> None:
    files = opendata.write_package(dataset(published), tmp_path / "package")
    assert [f.name for f in files] == ["scores.csv", "service_kpis.csv", "datapackage.json"]
    descriptor_path = tmp_path / "package" / "datapackage.json"
    report = frictionless.validate(str(descriptor_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == ["scores", "service_kpis"]
    assert [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]] == list(tabular.HEADER)
    assert [f["name"] for f in descriptor["resources"][1]["schema"]["fields"]] == list(kpis.HEADER)
    package = frictionless.Package(str(descriptor_path))
    [row] = package.get_table_resource("service_kpis").read_rows()
    assert (row["first_day"], row["transactions_completed"], row["digital_take_up"], row["p90_wait_open_ended"],
            row["cost_per_transaction"]) == (dt.date(2025, 10, 1), 305, Decimal("0.9836"), True, None)
    members = opendata.read_zip(b"".join(opendata.render_zip(dataset(published))))
    assert sorted(members) == ["datapackage.json", "scores.csv", "service_kpis.csv"]
    for name, content in members.items():
        assert content == (tmp_path / "package" / name).read_bytes()


def test_a_tampered_kpi_file_fails_validation(published: Database, tmp_path: Path) -> None:
    opendata.write_package(dataset(published), tmp_path)
    path = tmp_path / "service_kpis.csv"
    path.write_bytes(path.read_bytes().replace(b",305,", b",306,"))
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_without_volumes_the_kpi_resource_is_empty_and_valid(database: Database, tmp_path: Path) -> None:
    seed_ratings(database)
    freeze(database)
    data = dataset(database)
    assert all(s.kpis is None for s in data.services)
    assert "kpis" not in text(ptv.render(data))
    opendata.write_package(data, tmp_path)
    assert (tmp_path / "service_kpis.csv").read_bytes() == (",".join(kpis.HEADER) + "\r\n").encode()
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_json_ld_is_unchanged_by_kpis(published: Database) -> None:
    doc = json.loads(text(jsonld.render(dataset(published))))
    [node] = doc["@graph"][1:]
    assert set(node) == {"@type", "@id", "identifier", "name", "provider", "availableChannel", "aggregateRating"}


def test_a_tiny_services_volumes_never_appear(published: Database) -> None:
    with published.transaction(write=False) as session:
        assert publication_kpis(session, 1).keys() == {SERVICE_A}
    for spec in ("1", "live"):
        data = dataset(published, spec)
        assert [s.service_id for s in data.services] == [SERVICE_A]
        for output in all_outputs(data):
            assert SERVICE_B not in output and CHANNEL_B not in output


def test_a_service_with_kpis_but_no_published_score(database: Database) -> None:
    seed_ratings(database)
    seed_volumes(database, service_b_transactions=40)  # 40 transactions, still only 9 ratings
    freeze(database)
    data = dataset(database)
    assert [s.service_id for s in data.services] == [SERVICE_A, SERVICE_B]
    doc = json.loads(text(ptv.render(data)))
    entry = doc["services"][SERVICE_B]
    assert (entry["scores"], entry["channels"], entry["names"]["fi"]) == ({}, {}, "Rakennuslupa")
    assert (entry["kpis"]["transactionsCompleted"], entry["kpis"]["digitalTakeUp"], entry["kpis"]["channelDays"],
            entry["kpis"]["ratingsAnswered"], entry["kpis"]["responseRate"]) == (40, 1.0, 1, None, None)
    assert [r["service_id"] for r in kpi_rows(data)] == [SERVICE_A, SERVICE_B]
    assert SERVICE_B not in text(tabular.render(data)) and SERVICE_B not in text(jsonld.render(data))


def test_a_correction_changes_live_kpis_but_never_a_publication(published: Database) -> None:
    before = {spec: (text(ptv.render(dataset(published, spec))),
                     b"".join(opendata.render_zip(dataset(published, spec)))) for spec in ("1", "live")}
    send(published, ORG_A, [online(ONLINE_DAYS[0], completed=50, started=60)])  # a corrected day of November
    after = {spec: (text(ptv.render(dataset(published, spec))),
                    b"".join(opendata.render_zip(dataset(published, spec)))) for spec in ("1", "live")}
    assert after["1"] == before["1"]
    assert after["live"] != before["live"]
    assert ptv_kpis(dataset(published, "1"))[SERVICE_A]["transactionsCompleted"] == 305
    assert ptv_kpis(dataset(published, "live"))[SERVICE_A]["transactionsCompleted"] == 325
    # A new publication of the period freezes the corrected figures; publication 1 still says 305.
    freeze(published)
    assert ptv_kpis(dataset(published, "2"))[SERVICE_A]["transactionsCompleted"] == 325
    assert ptv_kpis(dataset(published, "1"))[SERVICE_A]["transactionsCompleted"] == 305


def test_frozen_kpis_equal_the_live_figures_they_froze(published: Database) -> None:
    with published.transaction(write=False) as session:
        frozen = publication_kpis(session, 1)
        live = live_service_kpis(session, start=Q4.start, end=Q4.end, publication_threshold=10)
    assert frozen == live


def test_a_discarded_draft_leaves_no_kpis(published: Database) -> None:
    with published.transaction() as session:
        draft = service.create_draft(session, Q4, now=NOW, actor="test", publication_threshold=10)
        assert publication_kpis(session, draft.number).keys() == {SERVICE_A}
        service.discard_draft(session, draft.number, now=NOW, actor="test")
    with published.transaction(write=False) as session:
        numbers = session.scalars(select(func.distinct(PublicationKpi.publication_number)))
        assert list(numbers) == [1]


def test_only_the_requested_services_kpis_are_loaded(published: Database) -> None:
    with published.transaction(write=False) as session:
        for spec in ("1", "live"):
            source = resolve_source(session, spec, now=NOW, publication_threshold=10)
            assert tuple(load_dataset(session, source, service_ids=[SERVICE_B]).services) == ()
            [only] = load_dataset(session, source, service_ids=[SERVICE_A]).services
            assert only.kpis is not None and only.kpis.stats.transactions == 305
