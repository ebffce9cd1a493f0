"""Volume ingest at the domain level, on SQLite and PostgreSQL: idempotency, corrections, order, concurrency."""

from __future__ import annotations

import datetime as dt
import random
import threading
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from federation.audit.models import AuditEvent
from federation.db import Database
from federation.ratings.contract import ItemStatus
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from federation.volumes.contract import BacklogAges, DayFigures, VolumeItemCode, VolumeReport, WaitBuckets
from federation.volumes.days import DayRange
from federation.volumes.ingest import report_volumes
from federation.volumes.kpis import VolumeTotals
from federation.volumes.models import ServiceVolumeDaily, figures_of
from federation.volumes.publishing import published_service_kpis
from federation.volumes.reading import read_service_volumes
from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, ORG_A, SERVICE_A
from tests.federation.volumes.strategies import valid_figures

DAYS = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(5)]
RANGE = DayRange(DAYS[0], DAYS[-1])
DIGITAL = {CHANNEL_A: True, CHANNEL_PHONE: False}


def registered(database: Database) -> None:
    with database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("A"), now=NOW)
        session.flush()
        upsert_service(session, SERVICE_A, Names("S"), now=NOW, organisation_ids=(ORG_A,))
        session.flush()
        upsert_channel(session, CHANNEL_A, ChannelType.ECHANNEL, Names("Web"), now=NOW, service_ids=(SERVICE_A,))
        upsert_channel(session, CHANNEL_PHONE, ChannelType.PHONE, Names("Phone"), now=NOW, service_ids=(SERVICE_A,))


def send(database: Database, reports: list[VolumeReport]) -> list[tuple[ItemStatus, VolumeItemCode | None]]:
    with database.transaction() as session:
        batch = report_volumes(session, ORG_A, reports, now=NOW, actor="test")
    return [(r.status, r.code) for r in batch.results]


def stored(database: Database) -> dict[tuple[str, dt.date], DayFigures]:
    with database.transaction(write=False) as session:
        return {(r.channel_id, r.day): figures_of(r) for r in session.scalars(select(ServiceVolumeDaily))}


def phone(day: dt.date, received: int, answered: int) -> VolumeReport:
    waits = WaitBuckets(answered, 0, 0, 0)
    return VolumeReport(SERVICE_A, CHANNEL_PHONE, day, DayFigures(contacts_received=received,
                                                                 contacts_answered_directly=answered, waits=waits))


def test_new_resent_corrected_and_audited(database: Database) -> None:
    registered(database)
    first = [phone(DAYS[0], 100, 20), phone(DAYS[1], 50, 10)]
    assert send(database, first) == [(ItemStatus.ACCEPTED, None)] * 2
    assert send(database, first) == [(ItemStatus.DUPLICATE, VolumeItemCode.UNCHANGED)] * 2
    assert send(database, [phone(DAYS[0], 100, 25), phone(DAYS[0], 100, 25), phone(DAYS[0], 100, 26)]) == [
        (ItemStatus.ACCEPTED, VolumeItemCode.CORRECTED), (ItemStatus.DUPLICATE, VolumeItemCode.DUPLICATE_IN_BATCH),
        (ItemStatus.REJECTED, VolumeItemCode.CONFLICT_IN_BATCH)]
    assert stored(database)[(CHANNEL_PHONE, DAYS[0])].contacts_answered_directly == 25
    with database.transaction(write=False) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "volumes.correct")))
        row = session.get(ServiceVolumeDaily, (SERVICE_A, DAYS[0], CHANNEL_PHONE))
    assert row is not None and row.revision == 2
    assert len(events) == 1 and events[0].subject == SERVICE_A and events[0].actor == "test"
    detail = events[0].detail
    assert (detail["day"], detail["channel"], detail["revision"]) == ("2026-03-01", CHANNEL_PHONE, 2)
    assert detail["before"]["contacts_answered_directly"] == 20  # type: ignore[index]
    assert detail["after"]["contacts_answered_directly"] == 25  # type: ignore[index]


def as_report(channel: str, day: dt.date, figures: DayFigures) -> VolumeReport:
    """The report that stores ``figures`` (the cost travels in euros, as the API sends it)."""
    cost = None if figures.cost_cents is None else figures.cost_cents / 100
    return VolumeReport(SERVICE_A, channel, day, replace(figures, cost_cents=None), cost_eur=cost)


report_items = st.tuples(st.sampled_from([CHANNEL_A, CHANNEL_PHONE]), st.sampled_from(DAYS),
                         valid_figures(contacts=False))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(report_items, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_corrections_are_idempotent_and_order_of_days_never_changes_a_kpi(
        database: Database, items: list[tuple[str, dt.date, DayFigures]], rng: random.Random) -> None:
    registered(database)
    with database.transaction() as session:
        session.execute(delete(ServiceVolumeDaily))
    for channel, day, figures in items:  # a later report of the same day corrects the earlier one
        send(database, [as_report(channel, day, figures)])
    once = stored(database)
    assert once == {(channel, day): figures for channel, day, figures in items}
    for channel, day, figures in items:  # replaying every report ends in the same state…
        send(database, [as_report(channel, day, figures)])
    assert stored(database) == once
    final = [as_report(c, d, f) for (c, d), f in once.items()]
    rng.shuffle(final)  # …and resending the final figures, in any order, changes nothing
    assert {status for status, _ in send(database, final)} == {ItemStatus.DUPLICATE}
    with database.transaction(write=False) as session:
        totals = read_service_volumes(session, [SERVICE_A], RANGE)[SERVICE_A].totals
    parts = [VolumeTotals.of_day(f, digital=DIGITAL[c]) for (c, _), f in once.items()]
    rng.shuffle(parts)
    assert totals == VolumeTotals.total(parts)


def test_concurrent_resends_of_one_batch_store_it_once(database: Database) -> None:
    registered(database)
    batch = [phone(day, 100 + i, 10) for i, day in enumerate(DAYS)]
    errors: list[BaseException] = []
    statuses: list[list[tuple[ItemStatus, VolumeItemCode | None]]] = []

    def run() -> None:
        try:
            statuses.append(send(database, batch))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(s[0][0].value for s in statuses) == ["ACCEPTED", "DUPLICATE", "DUPLICATE", "DUPLICATE"]
    assert len(stored(database)) == len(DAYS)


def test_published_service_kpis_hide_a_tiny_service(database: Database) -> None:
    registered(database)
    send(database, [VolumeReport(SERVICE_A, CHANNEL_A, DAYS[0], DayFigures(transactions_completed=9))])
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    with database.transaction(write=False) as session:
        hidden = published_service_kpis(session, [SERVICE_A], start=start, end=NOW, publication_threshold=10)
    assert (hidden[SERVICE_A].published, hidden[SERVICE_A].transactions) == (False, None)
    send(database, [VolumeReport(SERVICE_A, CHANNEL_A, DAYS[1], DayFigures(transactions_completed=1))])
    with database.transaction(write=False) as session:
        shown = published_service_kpis(session, [SERVICE_A], start=start, end=NOW, publication_threshold=10)
    take_up = shown[SERVICE_A].digital_take_up
    assert shown[SERVICE_A].transactions == 10 and take_up is not None and take_up.value == 1.0


def test_hourly_first_contact_and_queue_figures_round_trip_and_correct(database: Database) -> None:
    registered(database)
    hours = tuple([0] * 8 + [30, 50, 40, 20, 10, 25, 15, 10] + [0] * 8)
    calls = VolumeReport(SERVICE_A, CHANNEL_PHONE, DAYS[0], DayFigures(
        hourly_contacts=hours, hourly_first_contact_resolved=tuple(n // 2 for n in hours)))
    queue = VolumeReport(SERVICE_A, CHANNEL_A, DAYS[0], DayFigures(
        requests_received=30, requests_resolved=25, requests_backlog=20, backlog_ages=BacklogAges(8, 6, 3, 2, 1)))
    assert send(database, [calls, queue]) == [(ItemStatus.ACCEPTED, None)] * 2
    kept = stored(database)
    assert kept[(CHANNEL_PHONE, DAYS[0])].contacts_received == 200
    assert kept[(CHANNEL_PHONE, DAYS[0])].first_contact_resolved == 99  # 25 and 15 halve down
    assert kept[(CHANNEL_PHONE, DAYS[0])].hourly_contacts == hours
    assert kept[(CHANNEL_A, DAYS[0])] == queue.figures
    assert send(database, [calls, queue]) == [(ItemStatus.DUPLICATE, VolumeItemCode.UNCHANGED)] * 2
    moved = replace(calls, figures=replace(calls.figures, hourly_contacts=(1, *hours[1:]), contacts_received=201))
    assert send(database, [moved]) == [(ItemStatus.ACCEPTED, VolumeItemCode.CORRECTED)]
    with database.transaction(write=False) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "volumes.correct")).one()
    assert event.detail["before"]["hourly_contacts"] == list(hours)  # type: ignore[index]
    assert event.detail["after"]["hourly_contacts"][0] == 1  # type: ignore[index]
    with database.transaction(write=False) as session:
        read = read_service_volumes(session, [SERVICE_A], RANGE)[SERVICE_A]
    assert (read.totals.backlog_day, read.totals.backlog, read.hourly.total) == (DAYS[0], 20, 201)
