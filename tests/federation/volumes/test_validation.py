"""Validation of one volume report: each problem has its code and a message that says how to fix it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given

from federation.registry.checks import RegistryFacts, Rejection
from federation.registry.kinds import ChannelType
from federation.volumes.contract import DayFigures, VolumeItemCode, VolumeReport, WaitBuckets
from federation.volumes.validation import VolumeLookups, check_report
from tests.federation.volumes.strategies import valid_figures

TODAY = dt.date(2026, 3, 16)
LOOK = VolumeLookups(RegistryFacts(
    organisation_id="1000001-2", services={"s": False, "theirs": False, "old": True},
    reportable=frozenset({"s", "old"}), channels={"web": ChannelType.WEB_PAGE, "phone": ChannelType.PHONE,
                                                  "other": ChannelType.CHAT, "eservice": ChannelType.ECHANNEL},
    service_channels=frozenset({("s", "web"), ("s", "phone"), ("s", "eservice"), ("old", "web")})), today=TODAY,
    oldest=TODAY - dt.timedelta(days=3650))


def report(figures: DayFigures, service: str = "s", channel: str = "phone", day: dt.date = TODAY,
           cost: float | None = None) -> VolumeReport:
    return VolumeReport(service, channel, day, figures, cost_eur=cost)


def code_of(item: VolumeReport) -> VolumeItemCode:
    with pytest.raises(Rejection) as caught:
        check_report(item, LOOK)
    return caught.value.code


CALLS = DayFigures(contacts_received=100, contacts_answered_directly=20)


@pytest.mark.parametrize(("item", "code"), [
    (report(CALLS, service="nope"), VolumeItemCode.UNKNOWN_SERVICE),
    (report(CALLS, service="theirs"), VolumeItemCode.NOT_YOUR_SERVICE),
    (report(CALLS, service="old", channel="web"), VolumeItemCode.SERVICE_ARCHIVED),
    (report(CALLS, channel="nope"), VolumeItemCode.UNKNOWN_CHANNEL),
    (report(CALLS, channel="other"), VolumeItemCode.CHANNEL_NOT_OF_SERVICE),
    (report(CALLS, day=TODAY + dt.timedelta(days=1)), VolumeItemCode.DAY_IN_FUTURE),
    (report(CALLS, day=dt.date(2010, 1, 1)), VolumeItemCode.DAY_TOO_OLD),
    (report(DayFigures()), VolumeItemCode.NOTHING_REPORTED),
    (report(DayFigures(transactions_completed=-1)), VolumeItemCode.NEGATIVE_COUNT),
    (report(DayFigures(5, 6, 10, 5, 0, 0, WaitBuckets(6, -1, 0, 0))), VolumeItemCode.NEGATIVE_COUNT),
    (report(DayFigures(contacts_received=3), channel="web"), VolumeItemCode.FIGURE_NOT_FOR_CHANNEL),
    (report(DayFigures(transactions_completed=7, transactions_started=6)), VolumeItemCode.COMPLETED_EXCEEDS_STARTED),
    (report(DayFigures(callbacks=3)), VolumeItemCode.CONTACT_FIGURES_WITHOUT_RECEIVED),
    (report(DayFigures(contacts_received=10, contacts_answered_directly=11)),
     VolumeItemCode.ANSWERED_EXCEEDS_RECEIVED),
    (report(DayFigures(contacts_received=10, contacts_answered_directly=5, callbacks=3, contacts_abandoned=3)),
     VolumeItemCode.OUTCOMES_EXCEED_RECEIVED),
    (report(DayFigures(contacts_received=10, contacts_answered_directly=5, waits=WaitBuckets(1, 1, 1, 1))),
     VolumeItemCode.WAIT_BUCKETS_MISMATCH),
    (report(DayFigures(contacts_received=10, waits=WaitBuckets(1, 1, 1, 1))), VolumeItemCode.WAIT_BUCKETS_MISMATCH),
    (report(DayFigures(transactions_completed=1), cost=-5.0), VolumeItemCode.INVALID_COST),
    (report(DayFigures(transactions_completed=1), cost=float("nan")), VolumeItemCode.INVALID_COST),
])
def test_each_problem_has_its_code(item: VolumeReport, code: VolumeItemCode) -> None:
    assert code_of(item) == code


def test_messages_say_how_to_fix() -> None:
    with pytest.raises(Rejection) as caught:
        check_report(report(DayFigures(contacts_received=3, callbacks=1), channel="web"), LOOK)
    assert caught.value.message == (
        "contactsReceived, callbacks are contact-centre figures, but channel web is of type WebPage, which has no "
        "queue of contacts; report them for a Chat, Phone, ServiceLocation channel, and only transactions (and "
        "cost) here.")
    with pytest.raises(Rejection) as caught:
        check_report(report(DayFigures(contacts_received=10, contacts_answered_directly=5,
                                       waits=WaitBuckets(1, 1, 1, 1))), LOOK)
    assert caught.value.message == (
        "the waiting-time buckets add up to 4, but contactsAnsweredDirectly is 5; the buckets count the contacts "
        "answered directly, by how long they waited.")


def test_transactions_on_a_phone_line_and_a_web_page_are_fine_and_cost_becomes_cents() -> None:
    assert check_report(report(DayFigures(transactions_completed=40), cost=1520.505), LOOK) == DayFigures(
        transactions_completed=40, cost_cents=152050)
    assert check_report(report(DayFigures(transactions_completed=40), channel="web"), LOOK).transactions_completed == 40


@given(valid_figures())
def test_valid_figures_pass(figures: DayFigures) -> None:
    cost = None if figures.cost_cents is None else figures.cost_cents / 100
    assert check_report(report(replace(figures, cost_cents=None), cost=cost), LOOK) == figures
