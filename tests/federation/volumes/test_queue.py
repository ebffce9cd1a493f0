"""E-request queues of e-service channels: validation, the latest backlog, its ages and the resolution proxies."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from federation.registry.checks import Rejection
from federation.scores.stats import wilson_interval
from federation.volumes.contract import BacklogAges, DayFigures, VolumeItemCode
from federation.volumes.kpis import RatingTotals, VolumeTotals, kpis_for, summarise_kpis
from federation.volumes.validation import check_report
from tests.federation.volumes.test_validation import LOOK, report

EQUEUE = DayFigures(requests_received=30, requests_resolved=25, requests_backlog=20,
                    backlog_ages=BacklogAges(8, 6, 3, 2, 1))
DAY = dt.date(2026, 3, 10)


def code_of(figures: DayFigures, channel: str = "web") -> VolumeItemCode:
    with pytest.raises(Rejection) as caught:
        check_report(report(figures, channel=channel), LOOK)
    return caught.value.code


@pytest.mark.parametrize(("figures", "code"), [
    (DayFigures(requests_backlog=3, backlog_ages=BacklogAges(1, 1, 1, 1, 1)), VolumeItemCode.BACKLOG_AGES_MISMATCH),
    (DayFigures(requests_received=3, backlog_ages=BacklogAges(1, 0, 0, 0, 0)),
     VolumeItemCode.BACKLOG_AGES_WITHOUT_BACKLOG),
    (DayFigures(requests_backlog=-1), VolumeItemCode.NEGATIVE_COUNT),
    (DayFigures(requests_backlog=1, backlog_ages=BacklogAges(2, -1, 0, 0, 0)), VolumeItemCode.NEGATIVE_COUNT),
])
def test_inconsistent_queue_figures_are_refused(figures: DayFigures, code: VolumeItemCode) -> None:
    assert code_of(figures, "eservice") is code


def test_queue_figures_only_in_an_eservice_channel() -> None:
    assert check_report(report(EQUEUE, channel="eservice"), LOOK) == EQUEUE
    for channel in ("web", "phone"):
        assert code_of(EQUEUE, channel) is VolumeItemCode.FIGURE_NOT_FOR_CHANNEL
    assert code_of(DayFigures(contacts_received=3), "eservice") is VolumeItemCode.FIGURE_NOT_FOR_CHANNEL


def test_the_mismatch_says_how_to_fix_it() -> None:
    with pytest.raises(Rejection) as caught:
        check_report(report(DayFigures(requests_backlog=4, backlog_ages=BacklogAges(1, 0, 0, 0, 0)),
                            channel="eservice"), LOOK)
    assert caught.value.message == ("the backlog age buckets add up to 1, but requestsBacklog is 4; the buckets "
                                    "count the e-requests open at the end of the day, by age.")


def day_totals(figures: DayFigures, day: dt.date) -> VolumeTotals:
    return VolumeTotals.of_day(figures, digital=True, day=day)


def test_the_latest_backlog_wins_whatever_the_order() -> None:
    parts = [day_totals(EQUEUE, DAY - dt.timedelta(days=1)), day_totals(EQUEUE, DAY),
             day_totals(DayFigures(requests_backlog=10, backlog_ages=BacklogAges(0, 0, 0, 0, 10)), DAY),
             day_totals(DayFigures(requests_received=5), DAY)]
    totals = {VolumeTotals.total(order) for order in itertools.permutations(parts)}
    assert len(totals) == 1
    total = totals.pop()
    assert (total.backlog_day, total.backlog, total.backlog_ages, total.aged_backlog) == (DAY, 30, (8, 6, 3, 2, 11),
                                                                                        30)
    assert (total.requests_received, total.requests_resolved) == (65, 50)


def test_queue_kpis() -> None:
    total = day_totals(EQUEUE, DAY - dt.timedelta(days=1)) + day_totals(
        DayFigures(requests_received=40, requests_resolved=20, requests_backlog=40,
                   backlog_ages=BacklogAges(10, 10, 10, 0, 10)), DAY)
    queue = summarise_kpis(total, RatingTotals(), publication_threshold=10).queue
    assert queue is not None
    assert (queue.backlog_day, queue.backlog, queue.backlog_ages) == (DAY, 40, (10, 10, 10, 0, 10))
    assert queue.median_backlog_age == (3.0, False)  # 20 of 40: the end of the 1–3 day bucket
    assert queue.oldest_share is not None and queue.oldest_share.value == 0.25
    assert queue.oldest_share.interval == wilson_interval(10, 40)
    assert queue.estimated_resolution_days == pytest.approx((20 + 40) / (25 + 20))


def test_an_old_backlog_is_open_ended_and_a_small_queue_is_not_published() -> None:
    old = day_totals(DayFigures(requests_received=3, requests_backlog=5, backlog_ages=BacklogAges(0, 0, 0, 1, 4)),
                     DAY)
    own = kpis_for(old, RatingTotals(), publication_threshold=10, reveal_unpublished=True).queue
    assert own is not None and own.median_backlog_age == (14.0, True) and own.estimated_resolution_days is None
    assert kpis_for(old, RatingTotals(), publication_threshold=10, reveal_unpublished=False).queue is None
    assert summarise_kpis(VolumeTotals(), RatingTotals(), publication_threshold=10).queue is None
