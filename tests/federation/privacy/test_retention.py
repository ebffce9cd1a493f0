"""Retention with an injected clock: pseudonyms cleared 30 days after their quarter, microdata after the period."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from federation.audit.models import AuditEvent
from federation.db import Database
from federation.privacy.erasure import ErasureScope, erase_respondent
from federation.privacy.retention import RetentionPolicy, run_retention
from federation.ratings.models import Rating
from federation.rollups.models import RollupHourly
from federation.rollups.slots import slots_of
from pseudonymize.keys import KeyRing
from schema.cli.main import main
from tests.conftest import TEST_KEY
from tests.federation.privacy.helpers import PEOPLE, answer, cube, demographics, register, submit

RING = KeyRing((TEST_KEY,))
Q4_ANSWER = dt.datetime(2025, 12, 20, 10, tzinfo=dt.UTC)
Q1_ANSWER = dt.datetime(2026, 1, 20, 10, tzinfo=dt.UTC)
POLICY = RetentionPolicy(retention_days=60)


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def stored(database: Database) -> dict[str, tuple[bool, bool]]:
    """clientRef → (has a pseudonym, has free text)."""
    with database.transaction(write=False) as session:
        return {r.client_ref: (r.pseudonym is not None, r.free_text is not None)
                for r in session.scalars(select(Rating))}


def rollups(database: Database) -> list[tuple[dt.datetime, int, int]]:
    with database.transaction(write=False) as session:
        return [(r.hour, *slots_of(r)[4:6]) for r in session.scalars(select(RollupHourly).order_by(RollupHourly.hour))]


def ingest(database: Database) -> None:
    register(database)
    demo = demographics(PEOPLE[0], language="fi")
    submit(database, [answer("q4", 4, at=Q4_ANSWER, demo=demo, text="kiitos")], RING, now=at("2025-12-21"))
    submit(database, [answer("q1", 5, at=Q1_ANSWER, demo=demo)], RING, now=at("2026-01-21"))


@pytest.mark.parametrize(("now", "cleared"), [
    ("2026-01-30T23:59:59", {"q4": (True, True), "q1": (True, False)}),   # Q4 ended 31.12.: 30 days kept
    ("2026-01-31T00:00:00", {"q4": (False, True), "q1": (True, False)}),  # day 31: cleared
    ("2026-04-30T23:59:59", {"q4": (False, True), "q1": (True, False)}),
    ("2026-05-01T00:00:00", {"q4": (False, True), "q1": (False, False)}),
])
def test_pseudonyms_are_cleared_30_days_after_their_quarter_ends(database: Database, now: str,
                                                                  cleared: dict[str, tuple[bool, bool]]) -> None:
    ingest(database)
    with database.transaction() as session:
        run_retention(session, policy=RetentionPolicy(retention_days=3650), now=at(now))
    assert stored(database) == cleared


def test_microdata_goes_after_the_period_with_its_free_text_and_the_aggregates_stay(database: Database) -> None:
    ingest(database)
    aggregates = (rollups(database), cube(database))
    with database.transaction() as session:
        report = run_retention(session, policy=POLICY, now=at("2026-02-18T10:00:01"))
    assert (report.ratings_deleted, report.pseudonyms_cleared) == (1, 0)
    assert report.microdata_kept_from == at("2025-12-20T10:00:01")
    assert stored(database) == {"q1": (True, False)}
    assert (rollups(database), cube(database)) == aggregates
    with database.transaction() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.retention"))
        assert event is not None and event.detail["ratings_deleted"] == 1
        # idempotent: the next run finds nothing more to do
        again = run_retention(session, policy=POLICY, now=at("2026-02-18T10:00:01"))
    assert (again.ratings_deleted, again.pseudonyms_cleared) == (0, 0)


def test_after_clearing_erasure_can_no_longer_find_the_person(database: Database) -> None:
    ingest(database)
    with database.transaction() as session:
        run_retention(session, policy=RetentionPolicy(retention_days=3650), now=at("2026-02-01"))
        receipt = erase_respondent(session, PEOPLE[0], ring=RING, scope=ErasureScope(), actor="t",
                                   now=at("2026-02-01")).receipt
    assert receipt.ratings_deleted == 1  # only the Q1 answer is still linkable
    assert stored(database) == {"q4": (False, True)}


def test_a_dry_run_changes_nothing(database: Database) -> None:
    ingest(database)
    with database.transaction() as session:
        report = run_retention(session, policy=POLICY, now=at("2026-06-01"), dry_run=True)
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.retention")) is None
    assert (report.ratings_deleted, report.pseudonyms_cleared, report.dry_run) == (2, 0, True)
    assert stored(database) == {"q4": (True, True), "q1": (True, False)}


def test_the_policy_is_validated() -> None:
    with pytest.raises(ValueError, match="retention_days must be at least 1, got 0; set ARVIO_RETENTION_DAYS"):
        RetentionPolicy(retention_days=0)
    assert POLICY.pseudonyms_kept_from(at("2026-03-31")) == at("2026-01-01")
    assert POLICY.pseudonyms_kept_from(at("2026-04-01")) == at("2026-01-01")
    assert POLICY.pseudonyms_kept_from(at("2026-05-01")) == at("2026-04-01")


def test_cli_retention_run(database: Database, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    ingest(database)
    monkeypatch.setenv("ARVIO_DATABASE_URL", database.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ARVIO_MASTER_KEY", RING.to_json())
    monkeypatch.setenv("ARVIO_ENV", "test")
    monkeypatch.setenv("ARVIO_RETENTION_DAYS", "30")
    assert main(["retention", "run", "--dry-run"]) == 0
    assert "2 ratings answered before" in capsys.readouterr().out
    assert stored(database) == {"q4": (True, True), "q1": (True, False)}
    assert main(["retention", "run"]) == 0
    assert " were deleted" in capsys.readouterr().out
    assert stored(database) == {}
