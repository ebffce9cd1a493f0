"""First-contact resolution: validation per day and hour, the share with its Wilson interval, publication."""

from __future__ import annotations

import pytest

from federation.registry.checks import Rejection
from federation.scores.stats import wilson_interval
from federation.volumes.contract import DayFigures, VolumeItemCode
from federation.volumes.kpis import RatingTotals, VolumeTotals, kpis_for, summarise_kpis
from federation.volumes.validation import check_report
from tests.federation.volumes.test_validation import LOOK, report

HOURS = tuple([0] * 9 + [40, 30, 30] + [0] * 12)
RESOLVED = tuple([0] * 9 + [30, 20, 10] + [0] * 12)


def code_of(figures: DayFigures, channel: str = "phone") -> VolumeItemCode:
    with pytest.raises(Rejection) as caught:
        check_report(report(figures, channel=channel), LOOK)
    return caught.value.code


def test_hourly_resolved_give_the_daily_figure() -> None:
    stored = check_report(report(DayFigures(hourly_contacts=HOURS, hourly_first_contact_resolved=RESOLVED)), LOOK)
    assert (stored.contacts_received, stored.first_contact_resolved) == (100, 60)
    daily = DayFigures(contacts_received=100, first_contact_resolved=100)
    assert check_report(report(daily), LOOK) == daily


@pytest.mark.parametrize(("figures", "channel", "code"), [
    (DayFigures(contacts_received=10, first_contact_resolved=11), "phone", VolumeItemCode.RESOLVED_EXCEEDS_RECEIVED),
    (DayFigures(first_contact_resolved=3), "phone", VolumeItemCode.CONTACT_FIGURES_WITHOUT_RECEIVED),
    (DayFigures(contacts_received=10, first_contact_resolved=-1), "phone", VolumeItemCode.NEGATIVE_COUNT),
    (DayFigures(transactions_completed=5, first_contact_resolved=1), "web", VolumeItemCode.FIGURE_NOT_FOR_CHANNEL),
    (DayFigures(contacts_received=100, hourly_first_contact_resolved=RESOLVED), "phone",
     VolumeItemCode.HOURLY_RESOLVED_WITHOUT_HOURLY_CONTACTS),
    (DayFigures(hourly_contacts=HOURS, hourly_first_contact_resolved=RESOLVED[:5]), "phone",
     VolumeItemCode.HOURLY_NOT_24),
    (DayFigures(hourly_contacts=HOURS, first_contact_resolved=61, hourly_first_contact_resolved=RESOLVED),
     "phone", VolumeItemCode.HOURLY_SUM_MISMATCH),
    (DayFigures(hourly_contacts=HOURS, hourly_first_contact_resolved=(1, *RESOLVED[1:])), "phone",
     VolumeItemCode.RESOLVED_EXCEEDS_RECEIVED),
])
def test_inconsistent_first_contact_figures_are_refused(figures: DayFigures, channel: str,
                                                        code: VolumeItemCode) -> None:
    assert code_of(figures, channel) is code


def test_the_hour_that_exceeds_is_named() -> None:
    with pytest.raises(Rejection) as caught:
        check_report(report(DayFigures(hourly_contacts=HOURS, hourly_first_contact_resolved=(1, *RESOLVED[1:]))),
                     LOOK)
    assert "in hour(s) 0;" in caught.value.message


def test_share_pairs_days_reporting_both_and_carries_wilson() -> None:
    days = [DayFigures(contacts_received=100, first_contact_resolved=70),
            DayFigures(contacts_received=50, first_contact_resolved=20),
            DayFigures(contacts_received=1000)]  # no resolution reported: not in the share
    totals = VolumeTotals.total(VolumeTotals.of_day(d, digital=False) for d in days)
    stats = summarise_kpis(totals, RatingTotals(), publication_threshold=10)
    assert stats.first_contact_resolved == 90 and stats.first_contact_resolution is not None
    assert (stats.first_contact_resolution.numerator, stats.first_contact_resolution.denominator) == (90, 150)
    assert stats.first_contact_resolution.interval == wilson_interval(90, 150)


def test_a_small_base_is_not_published() -> None:
    totals = VolumeTotals.of_day(DayFigures(contacts_received=9, first_contact_resolved=5), digital=False)
    public = kpis_for(totals, RatingTotals(), publication_threshold=10, reveal_unpublished=False)
    assert (public.first_contact_resolved, public.first_contact_resolution) == (None, None)
    own = kpis_for(totals, RatingTotals(), publication_threshold=10, reveal_unpublished=True)
    assert own.first_contact_resolved == 5 and own.first_contact_resolution is not None
