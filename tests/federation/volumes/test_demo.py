"""The demo's volumes go through the real validation and reproduce the seeds' shapes."""

from __future__ import annotations

import datetime as dt

from federation.db import Database
from federation.demo import SERVICES, install_demo_registry
from federation.volumes.days import DayRange, local_date
from federation.volumes.kpis import RatingTotals, summarise_kpis
from federation.volumes.reading import read_service_volumes
from schema.cli.demo import load_demo_volumes
from tests.conftest import NOW


def test_demo_volumes_are_all_accepted_and_look_like_the_seeds(database: Database) -> None:
    with database.transaction() as session:
        install_demo_registry(session, now=NOW)
    with database.transaction() as session:
        stored = load_demo_volumes(session, now=NOW)
    assert stored == 364 * sum(len(s.channels) for s in SERVICES)
    with database.transaction() as session:
        assert load_demo_volumes(session, now=NOW) == 0  # already there: left alone
    health = next(s for s in SERVICES if s.key == "health-centre-booking")
    phone, chat = (c.id for c in health.channels if c.key in ("health-phone", "health-chat"))
    today = local_date(NOW)
    half_year = DayRange(today - dt.timedelta(days=181), today - dt.timedelta(days=1))
    with database.transaction(write=False) as session:
        phone_kpis = read_service_volumes(session, [health.id], half_year, phone)[health.id]
        chat_kpis = read_service_volumes(session, [health.id], half_year, chat)[health.id]
    phone_stats = summarise_kpis(phone_kpis.totals, RatingTotals(), publication_threshold=10, per_channel=True)
    chat_stats = summarise_kpis(chat_kpis.totals, RatingTotals(), publication_threshold=10, per_channel=True)
    assert phone_stats.answered_directly_share is not None
    assert abs(phone_stats.answered_directly_share.value - 0.216) < 0.01
    assert chat_stats.median_wait is not None and chat_stats.p90_wait is not None
    assert 1 <= chat_stats.median_wait.minutes <= chat_stats.p90_wait.minutes <= 15
    assert phone_stats.first_contact_resolution is not None
    assert 0.6 <= phone_stats.first_contact_resolution.value <= 0.75
    peak = max(phone_kpis.hourly.contacts.items(), key=lambda item: item[1])[0]
    assert peak[1] == 9  # the morning peak, 9–10 local time
    desk = next(s for s in SERVICES if s.key == "it-service-desk")
    with database.transaction(write=False) as session:
        desk_totals = read_service_volumes(session, [desk.id], half_year)[desk.id].totals
    queue = summarise_kpis(desk_totals, RatingTotals(), publication_threshold=10).queue
    assert queue is not None and queue.backlog_day == today - dt.timedelta(days=1)
    assert queue.backlog is not None and queue.backlog_ages is not None and sum(queue.backlog_ages) == queue.backlog
