"""GraphQL types of service KPIs: the figures of a window or of one period of a time series.

Built from ``federation.volumes.kpis`` results; a caller who may not see unpublished figures gets the output
of ``publishable`` (every figure whose base count is below the publication threshold is null).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from federation.volumes import kpis as maths
from federation.volumes.days import Granularity
from schema.graphql.scores import Interval

GranularityEnum = strawberry.enum(Granularity, name="KpiGranularity",
                                  description="The period of one point of a KPI time series: a day, an ISO week "
                                              "(Monday–Sunday) or a calendar month, in Finnish time.")


@strawberry.type(description="Contacts answered directly, by how long the customer waited.")
class WaitingTime:
    under_one_minute: int = strawberry.field(description="Answered within 1 minute.")
    one_to_five_minutes: int = strawberry.field(description="Answered after 1–5 minutes.")
    five_to_fifteen_minutes: int = strawberry.field(description="Answered after 5–15 minutes.")
    over_fifteen_minutes: int = strawberry.field(description="Answered after more than 15 minutes.")


@strawberry.type(description="A waiting-time quantile, interpolated linearly inside its bucket.")
class WaitQuantile:
    minutes: float = strawberry.field(description="The quantile in minutes; when `openEnded`, the lower bound "
                                                  "of the > 15 min bucket (15).")
    open_ended: bool = strawberry.field(description="The quantile lies in the open-ended > 15 min bucket: the "
                                                    "wait is at least `minutes`, its exact value is unknown.")


def _share(stat: maths.ShareStat | None) -> tuple[float | None, Interval | None]:
    return (None, None) if stat is None else (stat.value, Interval(low=stat.interval.low, high=stat.interval.high))


def _quantile(q: maths.WaitQuantile | None) -> WaitQuantile | None:
    return None if q is None else WaitQuantile(minutes=q.minutes, open_ended=q.open_ended)


def _waits(waits: tuple[int, int, int, int] | None) -> WaitingTime | None:
    return None if waits is None else WaitingTime(under_one_minute=waits[0], one_to_five_minutes=waits[1],
                                                  five_to_fifteen_minutes=waits[2], over_fifteen_minutes=waits[3])


@strawberry.type(description="KPIs of reported volumes and ratings (base of ServiceKpis and KpiPoint).")
class KpiFigures:
    first_day: dt.date = strawberry.field(description="First reporting day covered (Finnish calendar day).")
    last_day: dt.date = strawberry.field(description="Last reporting day covered (inclusive).")
    published: bool = strawberry.field(description="Whether completed transactions or contacts received reach "
                                                   "the publication threshold. Each figure below is shown to the "
                                                   "public only when the count it rests on reaches it; the "
                                                   "service's organisations and admins see every figure.")
    channel_days: int = strawberry.field(description="Channel-days with a report in the period.")
    transactions_completed: int | None = strawberry.field(description="Transactions completed.")
    digital_transactions: int | None = strawberry.field(description="Of those, completed in a digital channel "
                                                                    "(EChannel, WebPage, Chat).")
    transactions_started: int | None = strawberry.field(description="Transactions started (on days that report "
                                                                    "both started and completed).")
    contacts_received: int | None = strawberry.field(description="Contacts (calls, chats, visits) received.")
    contacts_answered_directly: int | None = strawberry.field(description="Contacts answered without a callback.")
    callbacks: int | None = strawberry.field(description="Contacts handled by calling the customer back.")
    contacts_abandoned: int | None = strawberry.field(description="Contacts the customer abandoned in the queue.")
    waiting_time: WaitingTime | None = strawberry.field(description="Contacts answered directly by waiting time.")
    ratings_answered: int | None = strawberry.field(description="Ratings answered (every question).")
    ratings_skipped: int | None = strawberry.field(description="Rating questions skipped.")
    ratings_covered: int | None = strawberry.field(description="Ratings answered on the channel-days whose "
                                                               "completed transactions were reported.")
    digital_take_up: float | None = strawberry.field(description="Digital transactions / all completed "
                                                                 "transactions of the service, 0–1 (null for one "
                                                                 "channel).")
    digital_take_up_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    completion_rate: float | None = strawberry.field(description="Completed / started transactions, 0–1.")
    completion_rate_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    answered_directly_share: float | None = strawberry.field(description="Answered directly / contacts "
                                                                         "received, 0–1.")
    answered_directly_share_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    callback_share: float | None = strawberry.field(description="Callbacks / contacts received, 0–1.")
    callback_share_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    abandonment_rate: float | None = strawberry.field(description="Abandoned / contacts received, 0–1.")
    abandonment_rate_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    coverage: float | None = strawberry.field(description="Ratings covered / completed transactions, 0–1; null "
                                                          "when there are more ratings than reported transactions.")
    coverage_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    response_rate: float | None = strawberry.field(description="Ratings answered / (answered + skipped), 0–1.")
    response_rate_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    median_wait: WaitQuantile | None = strawberry.field(description="Median wait of contacts answered directly.")
    p90_wait: WaitQuantile | None = strawberry.field(description="90th-percentile wait of contacts answered "
                                                                 "directly.")
    cost_per_transaction: float | None = strawberry.field(description="Reported cost (euros) / completed "
                                                                      "transactions, on days reporting both.")


def figures(stats: maths.KpiStats, first_day: dt.date, last_day: dt.date) -> dict[str, Any]:
    """The constructor arguments of :class:`KpiFigures` for ``stats`` (already filtered for the caller)."""
    s = stats
    take_up, take_up_iv = _share(s.digital_take_up)
    completion, completion_iv = _share(s.completion_rate)
    answered, answered_iv = _share(s.answered_directly_share)
    callback, callback_iv = _share(s.callback_share)
    abandon, abandon_iv = _share(s.abandonment_rate)
    coverage, coverage_iv = _share(s.coverage)
    response, response_iv = _share(s.response_rate)
    return {
        "first_day": first_day, "last_day": last_day, "published": s.published, "channel_days": s.channel_days,
        "transactions_completed": s.transactions, "digital_transactions": s.digital_transactions,
        "transactions_started": s.transactions_started, "contacts_received": s.contacts_received,
        "contacts_answered_directly": s.contacts_answered_directly, "callbacks": s.callbacks,
        "contacts_abandoned": s.contacts_abandoned, "waiting_time": _waits(s.waits),
        "ratings_answered": s.ratings_answered, "ratings_skipped": s.ratings_skipped,
        "ratings_covered": s.ratings_covered,
        "digital_take_up": take_up, "digital_take_up_interval": take_up_iv,
        "completion_rate": completion, "completion_rate_interval": completion_iv,
        "answered_directly_share": answered, "answered_directly_share_interval": answered_iv,
        "callback_share": callback, "callback_share_interval": callback_iv,
        "abandonment_rate": abandon, "abandonment_rate_interval": abandon_iv,
        "coverage": coverage, "coverage_interval": coverage_iv,
        "response_rate": response, "response_rate_interval": response_iv,
        "median_wait": _quantile(s.median_wait), "p90_wait": _quantile(s.p90_wait),
        "cost_per_transaction": s.cost_per_transaction,
    }


@strawberry.type(description="The KPIs of one period of a time series.")
class KpiPoint(KpiFigures):
    pass
