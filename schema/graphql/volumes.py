"""Service volumes in GraphQL: ``reportServiceVolumes``, the ``kpis`` field of Service and ``organisationKpis``,
and the KPI types: the figures of a window or of one period of a time series.

KPIs are built from ``federation.volumes.kpis`` results; a caller who may not see unpublished figures gets the
output of ``publishable`` (every figure whose base count is below the publication threshold is null)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from federation.auth.models import Role
from federation.errors import DomainError, NotFound, RatingsCode, RegistryCode, VolumesCode
from federation.registry import models as registry
from federation.registry.service import normalise_business_id
from federation.scores.reading import Window
from federation.volumes import kpis as maths
from federation.volumes.contract import BacklogAges, DayFigures, VolumeItemCode, VolumeReport, WaitBuckets
from federation.volumes.days import DayRange, Granularity
from federation.volumes.hourly import ContactCell, contacts_heatmap, peak_hours
from federation.volumes.ingest import VolumeBatchTooLarge, VolumePolicy, report_volumes
from federation.volumes.kpis import kpis_for
from federation.volumes.reading import ServiceVolumes, read_daily_ratings, read_service_volumes
from federation.volumes.series import series
from schema.graphql.context import Context
from schema.graphql.locale import Locale, pick
from schema.graphql.ratings.ingest import ItemStatusEnum
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


@strawberry.type(name="BacklogAges", description="E-requests open at the end of a day, by age.")
class BacklogAgesType:
    under_one_day: int = strawberry.field(description="Open for less than 1 day.")
    one_to_three_days: int = strawberry.field(description="Open for 1–3 days.")
    three_to_seven_days: int = strawberry.field(description="Open for 3–7 days.")
    seven_to_fourteen_days: int = strawberry.field(description="Open for 7–14 days.")
    over_fourteen_days: int = strawberry.field(description="Open for more than 14 days.")


@strawberry.type(description="An age quantile in days, interpolated linearly inside its bucket.")
class AgeQuantile:
    days: float = strawberry.field(description="The quantile in days; when `openEnded`, the lower bound of the "
                                               "> 14 days bucket (14).")
    open_ended: bool = strawberry.field(description="The quantile lies in the open-ended > 14 days bucket: at "
                                                    "least `days`, its exact value is unknown.")


@strawberry.type(description="The e-request (ticket) queue of e-service channels over the window.")
class RequestQueue:
    requests_received: int = strawberry.field(description="E-requests received.")
    requests_resolved: int = strawberry.field(description="E-requests resolved (also ones received earlier).")
    backlog_day: dt.date | None = strawberry.field(description="The latest day that reported a backlog.")
    backlog: int | None = strawberry.field(description="E-requests open at the end of `backlogDay` (summed over "
                                                       "the channels reporting it that day).")
    backlog_ages: BacklogAgesType | None = strawberry.field(description="That backlog by age (channels reporting "
                                                                        "ages).")
    median_backlog_age: AgeQuantile | None = strawberry.field(description="Median age of that backlog: a proxy of "
                                                                          "the median resolution time.")
    oldest_share: float | None = strawberry.field(description="Share of that backlog open for more than 14 days, "
                                                              "0–1.")
    oldest_share_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    estimated_resolution_days: float | None = strawberry.field(description="Little's law: mean end-of-day "
                                                                           "backlog / requests resolved per day, "
                                                                           "over the days reporting both.")


def _queue(q: maths.QueueStats | None) -> RequestQueue | None:
    if q is None:
        return None
    oldest, oldest_iv = _share(q.oldest_share)
    ages = None if q.backlog_ages is None else BacklogAgesType(
        under_one_day=q.backlog_ages[0], one_to_three_days=q.backlog_ages[1], three_to_seven_days=q.backlog_ages[2],
        seven_to_fourteen_days=q.backlog_ages[3], over_fourteen_days=q.backlog_ages[4])
    median = None if q.median_backlog_age is None else AgeQuantile(days=q.median_backlog_age[0],
                                                                   open_ended=q.median_backlog_age[1])
    return RequestQueue(requests_received=q.requests_received, requests_resolved=q.requests_resolved,
                        backlog_day=q.backlog_day, backlog=q.backlog, backlog_ages=ages, median_backlog_age=median,
                        oldest_share=oldest, oldest_share_interval=oldest_iv,
                        estimated_resolution_days=q.estimated_resolution_days)


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
    resolved_at_first_contact: int | None = strawberry.field(description="Contacts resolved at the first contact.")
    first_contact_resolution: float | None = strawberry.field(description="Resolved at first contact / contacts "
                                                                          "received (on the days reporting both), "
                                                                          "0–1.")
    first_contact_resolution_interval: Interval | None = strawberry.field(description="Wilson 95 % interval.")
    request_queue: RequestQueue | None = strawberry.field(description="The e-request queue (e-service channels); "
                                                                      "null when none was reported, or when fewer "
                                                                      "e-requests than the publication threshold "
                                                                      "were received.")


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
    fcr, fcr_iv = _share(s.first_contact_resolution)
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
        "cost_per_transaction": s.cost_per_transaction, "resolved_at_first_contact": s.first_contact_resolved,
        "first_contact_resolution": fcr, "first_contact_resolution_interval": fcr_iv,
        "request_queue": _queue(s.queue),
    }


@strawberry.type(description="The KPIs of one period of a time series.")
class KpiPoint(KpiFigures):
    pass


VolumeItemCodeEnum = strawberry.enum(VolumeItemCode, name="VolumeItemCode",
                                     description="What happened to a volume item that was not simply stored as "
                                                 "new; stable, never renamed or reused.")


@strawberry.input(description="Contacts answered directly, by waiting time; the four add up to "
                              "contactsAnsweredDirectly.")
class WaitingTimeInput:
    under_one_minute: int = strawberry.field(description="Answered within 1 minute.")
    one_to_five_minutes: int = strawberry.field(description="Answered after 1–5 minutes.")
    five_to_fifteen_minutes: int = strawberry.field(description="Answered after 5–15 minutes.")
    over_fifteen_minutes: int = strawberry.field(description="Answered after more than 15 minutes.")


@strawberry.input(description="E-requests open at the end of the day, by age; the five add up to "
                              "requestsBacklog.")
class BacklogAgesInput:
    under_one_day: int = strawberry.field(description="Open for less than 1 day.")
    one_to_three_days: int = strawberry.field(description="Open for 1–3 days.")
    three_to_seven_days: int = strawberry.field(description="Open for 3–7 days.")
    seven_to_fourteen_days: int = strawberry.field(description="Open for 7–14 days.")
    over_fourteen_days: int = strawberry.field(description="Open for more than 14 days.")

    def to_domain(self) -> BacklogAges:
        """The domain buckets, youngest first."""
        return BacklogAges(self.under_one_day, self.one_to_three_days, self.three_to_seven_days,
                           self.seven_to_fourteen_days, self.over_fourteen_days)


@strawberry.input(description="One day's figures of one channel of your service. An item is the whole day: a "
                              "later item for the same service, channel and day replaces every figure.")
class ServiceVolumeInput:
    service_id: strawberry.ID = strawberry.field(description="PTV service id; you must be registered for it.")
    channel_id: strawberry.ID = strawberry.field(description="PTV service channel id of the service.")
    day: dt.date = strawberry.field(description="The calendar day in Finland (YYYY-MM-DD); not in the future.")
    transactions_completed: int | None = strawberry.field(default=None, description="Transactions completed.")
    transactions_started: int | None = strawberry.field(default=None, description="Transactions started (for "
                                                        "the completion rate); at least the completed ones.")
    contacts_received: int | None = strawberry.field(default=None, description="Contacts received (Phone, Chat, "
                                                     "ServiceLocation channels only).")
    contacts_answered_directly: int | None = strawberry.field(default=None, description="Contacts answered "
                                                              "without a callback.")
    callbacks: int | None = strawberry.field(default=None, description="Contacts handled by a callback.")
    contacts_abandoned: int | None = strawberry.field(default=None, description="Contacts abandoned in the "
                                                      "queue.")
    waiting_time: WaitingTimeInput | None = strawberry.field(default=None, description="Waits of the contacts "
                                                             "answered directly.")
    cost_eur: float | None = strawberry.field(default=None, description="The channel's cost of the day in euros "
                                              "(for cost per transaction).")
    hourly_contacts: list[int] | None = strawberry.field(default=None, description="Contacts received per local "
                                                         "clock hour: exactly 24 counts, hour 0–1 first, in Finnish "
                                                         "time. They must add up to contactsReceived, which may be "
                                                         "left out (it is then their sum).")
    resolved_at_first_contact: int | None = strawberry.field(default=None, description="Of the contacts "
                                                             "received, those resolved at the first contact (no "
                                                             "callback, transfer or new contact needed).")
    hourly_resolved_at_first_contact: list[int] | None = strawberry.field(
        default=None, description="Resolved at first contact per local clock hour (24 counts, needs "
                                  "hourlyContacts; each at most that hour's contacts). They must add up to "
                                  "resolvedAtFirstContact, which may be left out.")
    requests_received: int | None = strawberry.field(default=None, description="E-requests (tickets) received "
                                                     "(EChannel channels only).")
    requests_resolved: int | None = strawberry.field(default=None, description="E-requests resolved that day, "
                                                     "also ones received earlier.")
    requests_backlog: int | None = strawberry.field(default=None, description="E-requests open at the end of "
                                                    "the day.")
    backlog_ages: BacklogAgesInput | None = strawberry.field(default=None, description="The end-of-day backlog by "
                                                             "age; needs requestsBacklog.")

    def to_domain(self) -> VolumeReport:
        """The domain report; ids trimmed and lower-cased as the registry stores them."""
        w = self.waiting_time
        waits = None if w is None else WaitBuckets(w.under_one_minute, w.one_to_five_minutes,
                                                   w.five_to_fifteen_minutes, w.over_fifteen_minutes)
        return VolumeReport(
            str(self.service_id).strip().lower(), str(self.channel_id).strip().lower(), self.day,
            DayFigures(self.transactions_completed, self.transactions_started, self.contacts_received,
                       self.contacts_answered_directly, self.callbacks, self.contacts_abandoned, waits,
                       hourly_contacts=_counts(self.hourly_contacts),
                       first_contact_resolved=self.resolved_at_first_contact,
                       hourly_first_contact_resolved=_counts(self.hourly_resolved_at_first_contact),
                       requests_received=self.requests_received, requests_resolved=self.requests_resolved,
                       requests_backlog=self.requests_backlog,
                       backlog_ages=None if self.backlog_ages is None else self.backlog_ages.to_domain()),
            cost_eur=self.cost_eur)


def _counts(values: list[int] | None) -> tuple[int, ...] | None:
    return None if values is None else tuple(values)


@strawberry.input(description="A batch of at most 1000 day reports.")
class ReportServiceVolumesInput:
    volumes: list[ServiceVolumeInput] = strawberry.field(description="The day reports; each gets its own result.")


@strawberry.type(description="The outcome of one volume item, by its index in the batch.")
class VolumeItemResult:
    index: int = strawberry.field(description="Position of the item in `volumes` (0-based).")
    status: ItemStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="ACCEPTED (new or corrected), DUPLICATE (unchanged) or REJECTED.")
    code: VolumeItemCodeEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="CORRECTED for a replaced day, otherwise why not ACCEPTED.")
    message: str | None = strawberry.field(description="What happened, or what was wrong and how to fix it.")


@strawberry.type(description="The outcome of a batch; stored figures are durable when this returns.")
class ReportServiceVolumesPayload:
    accepted: int = strawberry.field(description="Days stored: new ones and corrections.")
    corrected: int = strawberry.field(description="Of the accepted, days whose earlier figures were replaced.")
    duplicates: int = strawberry.field(description="Days sent again with the figures already stored.")
    rejected: int = strawberry.field(description="Items refused; see their results.")
    results: list[VolumeItemResult] = strawberry.field(description="One result per item, in order.")


@strawberry.type(description="Contacts received in one weekday × hour cell (Finnish local time) over the window.")
class ContactHeatmapCell:
    weekday: int = strawberry.field(description="ISO weekday: 1 = Monday … 7 = Sunday.")
    hour: int = strawberry.field(description="Local clock hour 0–23 (Europe/Helsinki): 8 means 8–9.")
    contacts: int = strawberry.field(description="Contacts received in this hour on every reported day.")
    days: int = strawberry.field(description="Days of this weekday that reported hourly contacts (in any channel).")
    average_contacts: float = strawberry.field(description="contacts / days (0 when no day was reported).")
    share: float | None = strawberry.field(description="This cell's share of all hourly contacts of the window, "
                                                       "0–1.")
    first_contact_resolution: float | None = strawberry.field(description="Resolved at first contact / contacts "
                                                                          "in this cell, over the days reporting "
                                                                          "both per hour, 0–1.")


def _cell(cell: ContactCell) -> ContactHeatmapCell:
    return ContactHeatmapCell(weekday=cell.weekday, hour=cell.hour, contacts=cell.contacts, days=cell.days,
                              average_contacts=cell.average, share=cell.share,
                              first_contact_resolution=cell.first_contact_resolution)


@strawberry.type(description="Volumes and KPIs of a service (or one of its channels) over reporting days, next "
                             "to its scores. Without a token, and for other organisations, each figure is shown "
                             "only when its base count reaches the publication threshold.")
class ServiceKpis(KpiFigures):
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    channel_id: strawberry.ID | None = strawberry.field(description="The channel, when KPIs of one channel.")
    names: strawberry.Private[tuple[str, str | None, str | None]]
    source: strawberry.Private[ServiceVolumes]
    threshold: strawberry.Private[int]
    reveal: strawberry.Private[bool]

    @strawberry.field(description="The service's name in the given language (falls back to Finnish).")
    def service_name(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.names)

    def _hourly_visible(self) -> bool:
        return self.reveal or self.source.hourly.total >= self.threshold

    @strawberry.field(description="Contacts received per weekday × local hour (Europe/Helsinki), from the days "
                                  "that reported hourly contacts: 168 cells, Monday 0–1 first. Empty when the "
                                  "window's hourly contacts stay below the publication threshold (its "
                                  "organisations and admins always see it).")
    def contacts_heatmap(self) -> list[ContactHeatmapCell]:
        if not self._hourly_visible():
            return []
        return [_cell(c) for c in contacts_heatmap(self.source.hourly)]

    @strawberry.field(description="The busiest weekday × hour cells of the contacts heatmap, busiest first, each "
                                  "with its share of the window's hourly contacts (empty when the heatmap is).")
    def peak_hours(self, top: Annotated[int, strawberry.argument(
            description="How many cells, 1–24.")] = 3) -> list[ContactHeatmapCell]:
        if not 1 <= top <= 24:
            raise DomainError(VolumesCode.INVALID_TOP, f"top {top} is out of range; ask for 1–24 peak hours.")
        if not self._hourly_visible():
            return []
        return [_cell(c) for c in peak_hours(contacts_heatmap(self.source.hourly), top)]

    @strawberry.field(description="The same KPIs per day, ISO week or calendar month (at most 1000 points); "
                                  "periods at the edges are clipped to the window.")
    def series(self, info: Info[Context, None], by: Annotated[GranularityEnum, strawberry.argument(  # type: ignore[valid-type]
            description="The period of one point.")] = Granularity.MONTH) -> list[KpiPoint]:
        src = self.source
        ratings = read_daily_ratings(info.context.session, src.service_id, src.days, src.channel_id)
        points = series(src.days, Granularity(by), src.daily, src.covered, ratings)
        return [KpiPoint(**figures(kpis_for(p.volumes, p.ratings, publication_threshold=self.threshold,
                                            reveal_unpublished=self.reveal, per_channel=src.channel_id is not None),
                                   p.first, p.last)) for p in points]


def _kpis(ctx: Context, row: registry.Service, source: ServiceVolumes, owners: Collection[str]) -> ServiceKpis:
    threshold = ctx.settings.publication_threshold
    reveal = ctx.may_see_unpublished(list(owners))
    stats = kpis_for(source.totals, source.ratings, publication_threshold=threshold, reveal_unpublished=reveal,
                     per_channel=source.channel_id is not None)
    return ServiceKpis(
        **figures(stats, source.days.first, source.days.last),
        service_id=strawberry.ID(row.id),
        channel_id=strawberry.ID(source.channel_id) if source.channel_id else None,
        names=(row.name_fi, row.name_sv, row.name_en), source=source, threshold=threshold, reveal=reveal)


def _days(ctx: Context, start: dt.datetime | None, end: dt.datetime | None, last_days: int | None) -> DayRange:
    window = Window.resolve(now=ctx.now, start=start, end=end, last_days=last_days)
    return DayRange.of_window(window.start, window.end)


def _owners(ctx: Context, service_ids: Collection[str]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {sid: [] for sid in service_ids}
    rows = ctx.session.execute(select(registry.ServiceOrganisation.service_id,
                                      registry.ServiceOrganisation.organisation_id)
                               .where(registry.ServiceOrganisation.service_id.in_(service_ids)))
    for sid, org in rows:
        owners[sid].append(org)
    return owners


WindowFrom = Annotated[dt.datetime | None, strawberry.argument(
    name="from", description="Window start: its day in Finland is the first day.")]
WindowTo = Annotated[dt.datetime | None, strawberry.argument(
    name="to", description="Window end (exclusive): the last day is the day before the one it falls in.")]
LastDays = Annotated[int | None, strawberry.argument(description="The last N whole days before today.")]


def resolve_service_kpis(
    root: strawberry.Parent[Any], info: Info[Context, None], window_from: WindowFrom = None,
    window_to: WindowTo = None, last_days: LastDays = None,
    channel_id: Annotated[strawberry.ID | None, strawberry.argument(
        description="One channel of the service only.")] = None,
) -> ServiceKpis:
    """The ``kpis`` field of Service (attached in ``schema.graphql.registry``)."""
    ctx = info.context
    service_id = str(getattr(root, "id"))  # noqa: B009 - the parent is schema.graphql.registry.Service (no import cycle)
    row = ctx.session.get(registry.Service, service_id)
    if row is None:
        raise NotFound(RegistryCode.UNKNOWN_SERVICE, f"No service {service_id} is registered in arvio.")
    days = _days(ctx, window_from, window_to, last_days)
    channel = str(channel_id).strip().lower() if channel_id is not None else None
    source = read_service_volumes(ctx.session, [service_id], days, channel)[service_id]
    return _kpis(ctx, row, source, _owners(ctx, [service_id])[service_id])


@strawberry.type(description="The KPIs of every service an organisation reports for (its comparison view).")
class OrganisationKpis:
    business_id: str = strawberry.field(description="The organisation's business ID.")
    first_day: dt.date = strawberry.field(description="First reporting day covered.")
    last_day: dt.date = strawberry.field(description="Last reporting day covered (inclusive).")
    services: list[ServiceKpis] = strawberry.field(description="One entry per service, in service-id order.")


@strawberry.type
class VolumesQuery:
    @strawberry.field(description="KPIs of every service an organisation reports for, over a window [from, to) "
                                  "or the last N days (default: the last 365 days). No token needed; publication "
                                  "rules as in Service.kpis.")
    def organisation_kpis(
        self, info: Info[Context, None],
        business_id: Annotated[str, strawberry.argument(description="Business ID (Y-tunnus), e.g. 0245437-2.")],
        window_from: WindowFrom = None, window_to: WindowTo = None, last_days: LastDays = None,
    ) -> OrganisationKpis:
        ctx = info.context
        org = normalise_business_id(business_id)
        if ctx.session.get(registry.Organisation, org) is None:
            raise NotFound(RegistryCode.UNKNOWN_ORGANISATION, f"No organisation {org} is registered in arvio.")
        days = _days(ctx, window_from, window_to, last_days)
        rows = list(ctx.session.scalars(
            select(registry.Service).join(registry.ServiceOrganisation)
            .where(registry.ServiceOrganisation.organisation_id == org).order_by(registry.Service.id)))
        ids = [r.id for r in rows]
        sources = read_service_volumes(ctx.session, ids, days)
        owners = _owners(ctx, ids)
        return OrganisationKpis(business_id=org, first_day=days.first, last_day=days.last,
                                services=[_kpis(ctx, r, sources[r.id], owners[r.id]) for r in rows])


@strawberry.type
class VolumesMutation:
    @strawberry.mutation(description="Report daily volumes of your own services (ORGANISATION token): per "
                                     "service, channel and day. Each item is ACCEPTED (new, or CORRECTED: it "
                                     "replaced earlier figures, audited), DUPLICATE (unchanged) or REJECTED on "
                                     "its own; resending is safe.")
    def report_service_volumes(self, info: Info[Context, None],
                               input: ReportServiceVolumesInput) -> ReportServiceVolumesPayload:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        actor = ctx.require(Role.ORGANISATION).actor
        policy = VolumePolicy(max_items=ctx.settings.max_batch_items)
        try:
            batch = report_volumes(ctx.session, organisation_id, [v.to_domain() for v in input.volumes],
                                   now=ctx.now, actor=actor, policy=policy)
        except VolumeBatchTooLarge as error:
            raise DomainError(RatingsCode.BATCH_TOO_LARGE, str(error)) from None
        return ReportServiceVolumesPayload(
            accepted=batch.accepted, corrected=batch.corrected, duplicates=batch.duplicates,
            rejected=batch.rejected, results=[VolumeItemResult(index=r.index, status=r.status, code=r.code,
                                                               message=r.message) for r in batch.results])
