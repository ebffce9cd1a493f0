"""Catalogue import from PTV open API v11 JSON: upsert, idempotency, archiving, malformed records."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from federation.db import Database
from federation.registry.catalogue import ImportReport, apply_catalogue, parse_documents, read_paths
from federation.registry.kinds import ChannelType, ServiceStatus
from federation.registry.models import Channel, Organisation, Service, ServiceChannel, ServiceOrganisation
from federation.rollups.models import RollupHourly
from tests.conftest import NOW
from tests.exporters.seed import add_answers

FIXTURES = Path(__file__).parent / "fixtures" / "ptv_v11"
LIBRARY_CARD = "d2b8a6f4-3c1e-4f2a-9b8c-7d6e5f4a3b21"
HOUSING = "0c9b8a7d-6e5f-4a3b-8c1d-0e9f8a7b6c5d"
PARKING = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"
SCHOOL_TRANSPORT = "a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d"


def run_import(database: Database, *paths: Path, archive_missing: bool = True) -> ImportReport:
    catalogue = parse_documents(read_paths(paths or (FIXTURES,)))
    ticks: list[int] = []
    with database.transaction() as session:
        report = apply_catalogue(session, catalogue, now=NOW, actor="test", archive_missing=archive_missing,
                                 progress=ticks.append)
    assert sum(ticks) == catalogue.size
    return report


def test_the_catalogue_is_imported_and_malformed_records_are_reported_by_position(database: Database) -> None:
    report = run_import(database)
    assert {k: dict(v) for k, v in report.counts.items()} == {
        "organisation": {"created": 2, "unchanged": 1}, "service": {"created": 4}, "channel": {"created": 4}}
    positions = [(p.position.rsplit("/", 1)[-1], p.skipped) for p in report.problems]
    assert positions == [
        ("channels.json[4]", True), ("organizations.json[3]", True), ("organizations.json[4]", True),
        ("services.json[3]", True), ("services.json[4]", True), ("services.json[5]", False),
        ("organizations.json[1]", False), ("services.json[1]", False)]
    messages = [p.message for p in report.problems]
    assert messages[1] == ("'0245458-2' is not a valid Finnish business ID (Y-tunnus); use the form 1234567-8 "
                           "with its check digit. The record was skipped.")
    assert messages[3] == "service id 'not-a-guid' is not a GUID. The record was skipped."
    with database.transaction(write=False) as session:
        card = session.get(Service, LIBRARY_CARD)
        assert card is not None
        assert (card.name_fi, card.name_sv, card.name_en, card.service_class, card.status) == (
            "Kirjastokortti", "Bibliotekskort", "Library card", "P27.2", ServiceStatus.ACTIVE)
        assert session.get(Service, PARKING).status is ServiceStatus.ARCHIVED  # type: ignore[union-attr]
        assert session.get(Service, SCHOOL_TRANSPORT).name_fi == "Skolskjuts"  # type: ignore[union-attr]
        helsinki = session.get(Organisation, "0201256-6")
        assert helsinki is not None
        assert (helsinki.name_fi, helsinki.ptv_id, helsinki.organisation_type) == (
            "Helsingin kaupunki", "8e5f1a8c-5d39-4ac2-a3cd-4b4bc7a1e1f0", "Municipality")
        grants = session.execute(select(ServiceOrganisation.service_id, ServiceOrganisation.organisation_id,
                                        ServiceOrganisation.role).order_by(ServiceOrganisation.service_id))
        assert [tuple(g) for g in grants] == [
            (HOUSING, "0246246-0", "Responsible"), (SCHOOL_TRANSPORT, "0201256-6", "Responsible"),
            (LIBRARY_CARD, "0201256-6", "Responsible"), (PARKING, "0201256-6", "Responsible")]
        links = set(session.execute(select(ServiceChannel.service_id, ServiceChannel.channel_id)))
        assert len(links) == 4 and all(s in (LIBRARY_CARD, HOUSING) for s, _ in links)
        phone = session.get(Channel, "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f")
        assert phone is not None and phone.channel_type is ChannelType.PHONE and phone.name_en is None


def test_reimport_is_idempotent(database: Database) -> None:
    run_import(database)
    again = run_import(database)
    assert not again.changed
    assert {k: dict(v) for k, v in again.counts.items()} == {
        "organisation": {"unchanged": 3}, "service": {"unchanged": 4}, "channel": {"unchanged": 4}}


def test_a_service_that_disappears_is_archived_with_its_ratings_kept(database: Database,
                                                                      tmp_path: Path) -> None:
    run_import(database)
    with database.transaction() as session:
        add_answers(session, HOUSING, None, "national.transaction-smooth", [5, 4])
    services = json.loads((FIXTURES / "services.json").read_text(encoding="utf-8"))
    without_housing = [s for s in services if s["id"] != HOUSING]
    (tmp_path / "services.json").write_text(json.dumps(without_housing), encoding="utf-8")
    partial = run_import(database, tmp_path / "services.json", archive_missing=False)
    assert partial.archived == 0
    report = run_import(database, tmp_path / "services.json")
    assert report.archived == 1
    with database.transaction(write=False) as session:
        assert session.get(Service, HOUSING).status is ServiceStatus.ARCHIVED  # type: ignore[union-attr]
        assert len(session.scalars(select(RollupHourly).where(RollupHourly.service_id == HOUSING)).all()) == 2
    back = run_import(database)
    assert back.counts["service"]["updated"] == 1
    with database.transaction(write=False) as session:
        assert session.get(Service, HOUSING).status is ServiceStatus.ACTIVE  # type: ignore[union-attr]


def test_a_file_that_is_not_json_is_reported_and_the_others_still_import(database: Database,
                                                                          tmp_path: Path) -> None:
    (tmp_path / "a-broken.json").write_text('{"itemList": [', encoding="utf-8")
    (tmp_path / "b-services.json").write_text((FIXTURES / "services.json").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    report = run_import(database, tmp_path, archive_missing=False)
    assert str(report.problems[0]).endswith("a-broken.json: not valid JSON (Expecting value at line 1 "
                                            "column 15); the file was skipped.")
    assert report.counts["service"]["created"] == 4


def test_the_sample_export_of_the_readme_imports_cleanly_and_idempotently(database: Database) -> None:
    """docs/samples/ptv-export/ (README.md, "Publishing") is well formed: nothing to report, every link made."""
    sample = Path(__file__).resolve().parents[3] / "docs" / "samples" / "ptv-export"
    first = run_import(database, sample, archive_missing=False)
    assert first.problems == []
    assert {k: dict(v) for k, v in first.counts.items()} == {
        "organisation": {"created": 3}, "service": {"created": 3}, "channel": {"created": 4}}
    assert (first.links_added, first.archived) == (3 + 4, 0)
    again = run_import(database, sample, archive_missing=False)
    assert not again.changed and again.problems == []
    with database.transaction(write=False) as session:
        offered = {(row.service_id, row.channel_id)
                   for row in session.execute(select(ServiceChannel.service_id, ServiceChannel.channel_id))}
        assert ("0c9b8a7d-6e5f-4a3b-8c1d-0e9f8a7b6c5d", "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f") in offered
        phone = session.get(Channel, "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f")
        assert phone is not None and phone.channel_type is ChannelType.PHONE
