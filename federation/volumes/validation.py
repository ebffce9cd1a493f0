"""Checking one volume report against the registry and the clock. Pure: the lookups are passed in."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from federation.registry.checks import RegistryFacts, Rejection, check_channel, check_service
from federation.registry.kinds import ChannelType
from federation.volumes.contract import (
    CONTACT_CHANNELS,
    HOURS_PER_DAY,
    MAX_COUNT,
    REQUEST_CHANNELS,
    DayFigures,
    VolumeItemCode,
    VolumeReport,
)

MAX_COST_EUR = 1e9
"""A day's cost of one channel above this is taken for a unit mistake (cents sent as euros, say)."""


@dataclass(frozen=True)
class VolumeLookups:
    """Registry facts and the accepted days for one batch, loaded once so validating touches no database."""

    registry: RegistryFacts
    today: dt.date
    oldest: dt.date


def check_report(report: VolumeReport, look: VolumeLookups) -> DayFigures:
    """Raise :class:`~federation.registry.checks.Rejection` for the first problem of ``report``; return the
    figures to store."""
    _check_service(report, look)
    channel_type = _check_channel(report, look)
    _check_day(report.day, look)
    figures = replace(report.figures, cost_cents=_cost_cents(report.cost_eur))
    if figures.is_empty:
        raise Rejection(VolumeItemCode.NOTHING_REPORTED,
                              "the item reports no figure; send at least one, e.g. transactionsCompleted.")
    _check_hourly_length(figures)
    _check_signs(figures)
    _check_channel_type(figures, channel_type, report.channel_id)
    _check_request_channel(figures, channel_type, report.channel_id)
    figures = _with_hourly_total(figures)
    _check_transactions(figures)
    _check_contacts(figures)
    _check_first_contact(figures)
    _check_backlog(figures)
    return figures


def _reject(code: VolumeItemCode, message: str) -> Rejection[VolumeItemCode]:
    return Rejection(code, message)


def _check_service(report: VolumeReport, look: VolumeLookups) -> None:
    check_service(report.service_id, look.registry, VolumeItemCode, "figures")


def _check_channel(report: VolumeReport, look: VolumeLookups) -> ChannelType:
    return check_channel(report.service_id, report.channel_id, look.registry, VolumeItemCode,
                         "use the channel's PTV id")


def _check_day(day: dt.date, look: VolumeLookups) -> None:
    if day > look.today:
        raise _reject(VolumeItemCode.DAY_IN_FUTURE,
                      f"day {day.isoformat()} is in the future (today is {look.today.isoformat()} in Finland); "
                      "report a day once it has begun, and correct it when it is complete.")
    if day < look.oldest:
        raise _reject(VolumeItemCode.DAY_TOO_OLD,
                      f"day {day.isoformat()} is older than the oldest day arvio takes "
                      f"({look.oldest.isoformat()}).")


def _cost_cents(cost_eur: float | None) -> int | None:
    if cost_eur is None:
        return None
    if not math.isfinite(cost_eur) or not 0 <= cost_eur <= MAX_COST_EUR:
        raise _reject(VolumeItemCode.INVALID_COST,
                      f"costEur {cost_eur} is not a day's cost; send the channel's cost of the day in euros "
                      f"(0–{MAX_COST_EUR:.0f}), e.g. 1520.50.")
    return round(cost_eur * 100)


def _check_signs(figures: DayFigures) -> None:
    negative = [name for name, value in figures.counts().items() if value < 0]
    if negative:
        raise _reject(VolumeItemCode.NEGATIVE_COUNT,
                      f"{', '.join(negative)} must be zero or more; send the number counted that day.")


def _check_channel_type(figures: DayFigures, channel_type: ChannelType, channel_id: str) -> None:
    _fits_channel(figures.contact_figures, CONTACT_CHANNELS, channel_type, lambda names, allowed: (
        f"{names} are contact-centre figures, but channel {channel_id} is of type {channel_type.value}, which has no "
        f"queue of contacts; report them for a {allowed} channel, and only transactions (and cost) here."))


def _fits_channel(given: Collection[str], types: frozenset[ChannelType], channel_type: ChannelType,
                  message: Callable[[str, str], str]) -> None:
    """FIGURE_NOT_FOR_CHANNEL when figures ``given`` are sent for a channel type outside ``types``."""
    if given and channel_type not in types:
        allowed = ", ".join(sorted(t.value for t in types))
        raise _reject(VolumeItemCode.FIGURE_NOT_FOR_CHANNEL, message(", ".join(given), allowed))


def _check_transactions(figures: DayFigures) -> None:
    completed, started = figures.transactions_completed, figures.transactions_started
    if completed is not None and started is not None and completed > started:
        raise _reject(VolumeItemCode.COMPLETED_EXCEEDS_STARTED,
                      f"transactionsCompleted {completed} exceeds transactionsStarted {started}; count a "
                      "transaction as started on the day it was completed if it began earlier.")


def _check_contacts(figures: DayFigures) -> None:
    received = figures.contacts_received
    parts = {k: v for k, v in figures.contact_figures.items() if k != "contactsReceived"}
    if received is None:
        if parts:
            raise _reject(VolumeItemCode.CONTACT_FIGURES_WITHOUT_RECEIVED,
                          f"{', '.join(parts)} need contactsReceived of the same day; send how many contacts "
                          "arrived.")
        return
    answered = figures.contacts_answered_directly
    if answered is not None and answered > received:
        raise _reject(VolumeItemCode.ANSWERED_EXCEEDS_RECEIVED,
                      f"contactsAnsweredDirectly {answered} exceeds contactsReceived {received}; "
                      "count every contact that arrived in contactsReceived.")
    outcomes = (answered or 0) + (figures.callbacks or 0) + (figures.contacts_abandoned or 0)
    if outcomes > received:
        raise _reject(VolumeItemCode.OUTCOMES_EXCEED_RECEIVED,
                      f"answered directly, callbacks and abandoned add up to {outcomes}, more than the "
                      f"{received} contacts received; each contact has at most one of these outcomes.")
    waits = figures.waits
    if waits is not None and waits.total != answered:
        stated = "not sent" if answered is None else str(answered)
        raise _reject(VolumeItemCode.WAIT_BUCKETS_MISMATCH,
                      f"the waiting-time buckets add up to {waits.total}, but contactsAnsweredDirectly is "
                      f"{stated}; the buckets count the contacts answered directly, by how long they waited.")


def _check_hourly_length(figures: DayFigures) -> None:
    named = {"hourlyContacts": figures.hourly_contacts,
             "hourlyResolvedAtFirstContact": figures.hourly_first_contact_resolved}
    for name, hourly in named.items():
        if hourly is not None and len(hourly) != HOURS_PER_DAY:
            raise _reject(VolumeItemCode.HOURLY_NOT_24,
                          f"{name} holds {len(hourly)} counts; send exactly {HOURS_PER_DAY}, one per local clock "
                          "hour 0–23 of the day in Finland (0 for hours without contacts).")


def _with_hourly_total(figures: DayFigures) -> DayFigures:
    """The figures with ``contacts_received`` and ``first_contact_resolved`` taken from the hourly counts when
    only those are sent; refuses hourly counts that do not add up to a sent daily figure."""
    received = _daily_of_hourly(figures.hourly_contacts, figures.contacts_received, "hourlyContacts",
                                "contactsReceived")
    resolved = _daily_of_hourly(figures.hourly_first_contact_resolved, figures.first_contact_resolved,
                                "hourlyResolvedAtFirstContact", "resolvedAtFirstContact")
    return replace(figures, contacts_received=received, first_contact_resolved=resolved)


def _daily_of_hourly(hourly: tuple[int, ...] | None, daily: int | None, hourly_name: str,
                     daily_name: str) -> int | None:
    if hourly is None:
        return daily
    total = sum(hourly)
    if total > MAX_COUNT:
        raise _reject(VolumeItemCode.COUNT_TOO_LARGE,
                      f"{hourly_name} add up to {total}, more than {MAX_COUNT}; send the real counts.")
    if daily is not None and daily != total:
        raise _reject(VolumeItemCode.HOURLY_SUM_MISMATCH,
                      f"{hourly_name} add up to {total}, but {daily_name} is {daily}; send hourly counts "
                      f"that add up to the day's figure, or leave {daily_name} out (it is then their sum).")
    return total


def _check_first_contact(figures: DayFigures) -> None:
    """Resolved at first contact: at most the contacts received, per day and per hour."""
    resolved, received = figures.first_contact_resolved, figures.contacts_received
    if resolved is not None and received is not None and resolved > received:
        raise _reject(VolumeItemCode.RESOLVED_EXCEEDS_RECEIVED,
                      f"resolvedAtFirstContact {resolved} exceeds contactsReceived {received}; count only "
                      "contacts that arrived that day.")
    hourly_resolved, hourly = figures.hourly_first_contact_resolved, figures.hourly_contacts
    if hourly_resolved is None:
        return
    if hourly is None:
        raise _reject(VolumeItemCode.HOURLY_RESOLVED_WITHOUT_HOURLY_CONTACTS,
                      "hourlyResolvedAtFirstContact needs hourlyContacts of the same day; send both, or only "
                      "the daily resolvedAtFirstContact.")
    over = [hour for hour, (r, n) in enumerate(zip(hourly_resolved, hourly, strict=True)) if r > n]
    if over:
        raise _reject(VolumeItemCode.RESOLVED_EXCEEDS_RECEIVED,
                      f"hourlyResolvedAtFirstContact exceeds hourlyContacts in hour(s) "
                      f"{', '.join(map(str, over))}; an hour's resolved contacts are some of its contacts.")


def _check_request_channel(figures: DayFigures, channel_type: ChannelType, channel_id: str) -> None:
    _fits_channel(figures.request_figures, REQUEST_CHANNELS, channel_type, lambda names, allowed: (
        f"{names} are e-request queue figures, but channel {channel_id} is of type {channel_type.value}; report them "
        f"for an {allowed} channel (contacts go to phone, chat and service-point channels)."))


def _check_backlog(figures: DayFigures) -> None:
    ages, backlog = figures.backlog_ages, figures.requests_backlog
    if ages is None:
        return
    if backlog is None:
        raise _reject(VolumeItemCode.BACKLOG_AGES_WITHOUT_BACKLOG,
                      "backlogAges need requestsBacklog of the same day; send how many e-requests were open at "
                      "the end of the day.")
    if ages.total != backlog:
        raise _reject(VolumeItemCode.BACKLOG_AGES_MISMATCH,
                      f"the backlog age buckets add up to {ages.total}, but requestsBacklog is {backlog}; the "
                      "buckets count the e-requests open at the end of the day, by age.")
