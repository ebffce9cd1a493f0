"""Hourly contacts: validation of the 24 counts, the weekday × hour heatmap and the peak hours."""

from __future__ import annotations

import datetime as dt

import pytest

from federation.registry.checks import Rejection
from federation.volumes.contract import DayFigures, VolumeItemCode
from federation.volumes.hourly import HourlyContacts, contacts_heatmap, peak_hours
from federation.volumes.validation import check_report
from tests.federation.volumes.test_validation import LOOK, report

MONDAY = dt.date(2026, 3, 9)
DESK = tuple([0] * 8 + [30, 50, 40, 20, 10, 25, 15, 10] + [0] * 8)  # 200 contacts, 8–16


def code_of(figures: DayFigures, channel: str = "phone") -> VolumeItemCode:
    with pytest.raises(Rejection) as caught:
        check_report(report(figures, channel=channel), LOOK)
    return caught.value.code


def test_hourly_counts_alone_give_the_days_contacts() -> None:
    stored = check_report(report(DayFigures(hourly_contacts=DESK)), LOOK)
    assert (stored.contacts_received, stored.hourly_contacts) == (200, DESK)
    both = DayFigures(contacts_received=200, contacts_answered_directly=150, hourly_contacts=DESK)
    assert check_report(report(both), LOOK) == both


@pytest.mark.parametrize(("figures", "channel", "code"), [
    (DayFigures(hourly_contacts=DESK[:23]), "phone", VolumeItemCode.HOURLY_NOT_24),
    (DayFigures(hourly_contacts=(0,) * 1_000_000), "phone", VolumeItemCode.HOURLY_NOT_24),
    (DayFigures(contacts_received=199, hourly_contacts=DESK), "phone", VolumeItemCode.HOURLY_SUM_MISMATCH),
    (DayFigures(hourly_contacts=(-1, *DESK[1:])), "phone", VolumeItemCode.NEGATIVE_COUNT),
    (DayFigures(hourly_contacts=(2**31 - 1,) * 24), "phone", VolumeItemCode.COUNT_TOO_LARGE),
    (DayFigures(hourly_contacts=DESK), "web", VolumeItemCode.FIGURE_NOT_FOR_CHANNEL),
    (DayFigures(contacts_answered_directly=201, hourly_contacts=DESK), "phone",
     VolumeItemCode.ANSWERED_EXCEEDS_RECEIVED),
])
def test_bad_hourly_counts_are_refused_with_their_code(figures: DayFigures, channel: str,
                                                       code: VolumeItemCode) -> None:
    assert code_of(figures, channel) is code


def test_the_mismatch_says_how_to_fix_it() -> None:
    with pytest.raises(Rejection) as caught:
        check_report(report(DayFigures(contacts_received=10, hourly_contacts=DESK)), LOOK)
    assert caught.value.message == ("hourlyContacts add up to 200, but contactsReceived is 10; send hourly counts "
                                    "that add up to the day's figure, or leave contactsReceived out (it is then "
                                    "their sum).")


def test_heatmap_cells_and_peaks() -> None:
    hourly = HourlyContacts()
    hourly.add_day(MONDAY, DESK)
    hourly.add_day(MONDAY + dt.timedelta(days=7), DESK)
    hourly.add_day(MONDAY + dt.timedelta(days=1), [1 if h == 9 else 0 for h in range(24)])
    cells = contacts_heatmap(hourly)
    assert len(cells) == 168 and (cells[0].weekday, cells[0].hour) == (1, 0)
    monday_9 = cells[9]
    assert (monday_9.contacts, monday_9.days, monday_9.average) == (100, 2, 50.0)
    assert monday_9.share == pytest.approx(100 / 401)
    assert sum(c.contacts for c in cells) == 401 and cells[24 + 9].contacts == 1
    peaks = peak_hours(cells)
    assert [(c.weekday, c.hour, c.contacts) for c in peaks] == [(1, 9, 100), (1, 10, 80), (1, 8, 60)]
    assert [(c.weekday, c.hour) for c in peak_hours(cells, 24)][-3:] == [(1, 12), (1, 15), (2, 9)]


def test_an_empty_heatmap_has_no_peaks() -> None:
    cells = contacts_heatmap(HourlyContacts())
    assert all(c.contacts == 0 and c.share is None and c.average == 0.0 for c in cells)
    assert peak_hours(cells) == []


def test_two_channels_of_one_day_are_one_day_of_the_service() -> None:
    hourly = HourlyContacts()
    hourly.add_day(MONDAY, DESK)
    hourly.add_day(MONDAY, DESK)  # the chat line of the same Monday
    cell = contacts_heatmap(hourly)[9]
    assert (cell.contacts, cell.days, cell.average) == (100, 1, 100.0)
