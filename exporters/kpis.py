"""Published service KPIs as the exports write them: the PTV-keyed JSON's ``kpis`` object and ``service_kpis.csv``.

Only publishable figures reach a dataset (see ``federation.publication.kpis``); a figure that may not be shown is
``null`` in the JSON and an empty cell in the CSV. The figures cover whole reporting days (Finnish calendar days,
``firstDay``…``lastDay``): the days of the source's window, so they may differ by the few hours of the time zone
from the window of the scores. Shares are in [0, 1] with their Wilson 95 % interval; waiting-time quantiles
are minutes, ``openEnded`` meaning "at least that long" (the > 15 min bucket); cost per transaction is in euros.
First-contact resolution is a share like the others; the e-request queue (``requestQueue``, the ``requests_*`` and
``backlog_*`` columns) is shown whole once the requests received reach the threshold.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from exporters.figures import rounded
from exporters.publications import ExportDataset, ServiceScores
from exporters.tabular import Column, csv_chunks
from federation.publication.kpis import ServiceKpis
from federation.volumes.kpis import QueueStats, ShareStat, WaitQuantile

MEDIA_TYPE = "text/csv; charset=utf-8"
SHARES = (("digital_take_up", "digitalTakeUp", "Digital transactions / all completed transactions."),
          ("completion_rate", "completionRate", "Completed / started transactions (days reporting both)."),
          ("answered_directly_share", "answeredDirectlyShare", "Contacts answered directly / received."),
          ("callback_share", "callbackShare", "Contacts handled by a callback / received."),
          ("abandonment_rate", "abandonmentRate", "Contacts abandoned in the queue / received."),
          ("coverage", "coverage", "Ratings on days reporting completed transactions / completed transactions."),
          ("response_rate", "responseRate", "Ratings answered / (answered + skipped), every question."),
          ("first_contact_resolution", "firstContactResolution",
           "Contacts resolved at the first contact / contacts received (days reporting both)."))
"""(KpiStats field and CSV prefix, JSON key, description) of every share."""
COUNTS = (("transactions", "transactions_completed", "transactionsCompleted", "Transactions completed."),
          ("digital_transactions", "digital_transactions", "digitalTransactions",
           "Of those, completed in a digital channel (EChannel, WebPage, Chat)."),
          ("transactions_started", "transactions_started", "transactionsStarted",
           "Transactions started (on days reporting both started and completed)."),
          ("contacts_received", "contacts_received", "contactsReceived", "Contacts (calls, chats, visits) received."),
          ("contacts_answered_directly", "contacts_answered_directly", "contactsAnsweredDirectly",
           "Contacts answered without a callback."),
          ("callbacks", "callbacks", "callbacks", "Contacts handled by calling the customer back."),
          ("contacts_abandoned", "contacts_abandoned", "contactsAbandoned",
           "Contacts the customer abandoned in the queue."),
          ("ratings_answered", "ratings_answered", "ratingsAnswered", "Ratings answered (every question)."),
          ("ratings_skipped", "ratings_skipped", "ratingsSkipped", "Rating questions skipped."),
          ("ratings_covered", "ratings_covered", "ratingsCovered",
           "Ratings answered on the channel-days whose completed transactions were reported."),
          ("first_contact_resolved", "resolved_at_first_contact", "resolvedAtFirstContact",
           "Contacts resolved at the first contact."))
"""(KpiStats field, CSV column, JSON key, description) of every count."""
WAITS = (("wait_under_1_min", "underOneMinute", "Contacts answered directly within 1 minute."),
         ("wait_1_to_5_min", "oneToFiveMinutes", "Contacts answered directly after 1–5 minutes."),
         ("wait_5_to_15_min", "fiveToFifteenMinutes", "Contacts answered directly after 5–15 minutes."),
         ("wait_over_15_min", "overFifteenMinutes", "Contacts answered directly after more than 15 minutes."))
QUANTILES = (("median_wait", "medianWait", "Median wait of contacts answered directly"),
             ("p90_wait", "p90Wait", "90th-percentile wait of contacts answered directly"))
BACKLOG_AGES = (("backlog_under_1d", "underOneDay", "under 1 day"), ("backlog_1_to_3d", "oneToThreeDays", "1–3 days"),
                ("backlog_3_to_7d", "threeToSevenDays", "3–7 days"),
                ("backlog_7_to_14d", "sevenToFourteenDays", "7–14 days"),
                ("backlog_over_14d", "overFourteenDays", "over 14 days"))
"""(CSV column, JSON key, words) of the latest backlog's age buckets."""
_SHARE = {"minimum": 0, "maximum": 1}


def _col(name: str, kind: str, description: str, **constraints: Any) -> Column:
    return Column(name, kind, description, constraints or None)


COLUMNS: tuple[Column, ...] = (
    _col("source", "string", "live, or publication (a numbered, frozen publication).", required=True,
         enum=["live", "publication"]),
    _col("publication", "integer", "Publication number; empty for live figures.", minimum=1),
    _col("period", "string", "Period name (2026, 2026-Q1, 2026-03); empty for a rolling live window."),
    _col("first_day", "date", "First reporting day covered (a calendar day in Finland).", required=True),
    _col("last_day", "date", "Last reporting day covered, inclusive.", required=True),
    _col("service_id", "string", "PTV service id (GUID).", required=True),
    _col("service_name_fi", "string", "Service name in Finnish.", required=True),
    _col("service_name_sv", "string", "Service name in Swedish."),
    _col("service_name_en", "string", "Service name in English."),
    _col("channel_days", "integer", "Channel-days with a volume report.", required=True, minimum=1),
    *(_col(column, "integer", f"{text} Empty when below the publication threshold.", minimum=0)
      for _, column, _, text in COUNTS),
    *(_col(column, "integer", f"{text} Empty when below the publication threshold.", minimum=0)
      for column, _, text in WAITS),
    *(c for field, _, text in SHARES for c in (
        _col(field, "number", f"{text} 0–1; empty when its base is below the publication threshold.", **_SHARE),
        _col(f"{field}_low", "number", f"Lower bound of the Wilson 95 % interval of {field}.", **_SHARE),
        _col(f"{field}_high", "number", f"Upper bound of the Wilson 95 % interval of {field}.", **_SHARE))),
    *(c for field, _, text in QUANTILES for c in (
        _col(f"{field}_minutes", "number", f"{text}, in minutes (interpolated inside its bucket).", minimum=0),
        _col(f"{field}_open_ended", "boolean", f"true: the {field} lies in the > 15 min bucket, so it is at "
                                               f"least {field}_minutes (its exact value is unknown)."))),
    _col("cost_per_transaction", "number", "Reported cost (euros) / completed transactions, on days reporting "
                                           "both.", minimum=0),
    _col("requests_received", "integer", "E-requests (tickets) received; empty when below the publication "
                                         "threshold or not reported.", minimum=0),
    _col("requests_resolved", "integer", "E-requests resolved.", minimum=0),
    _col("backlog_day", "date", "The latest day with a reported end-of-day backlog."),
    _col("requests_backlog", "integer", "E-requests open at the end of backlog_day.", minimum=0),
    *(_col(column, "integer", f"Of the backlog with ages, requests open {words}.", minimum=0)
      for column, _, words in BACKLOG_AGES),
    _col("median_backlog_age_days", "number", "Median age of the backlog in days (interpolated inside its bucket).",
         minimum=0),
    _col("median_backlog_age_open_ended", "boolean", "true: the median lies in the > 14 days bucket, so it is at "
                                                     "least median_backlog_age_days."),
    _col("oldest_share", "number", "Backlog older than 14 days / backlog with ages.", **_SHARE),
    _col("oldest_share_low", "number", "Lower bound of the Wilson 95 % interval of oldest_share.", **_SHARE),
    _col("oldest_share_high", "number", "Upper bound of the Wilson 95 % interval of oldest_share.", **_SHARE),
    _col("estimated_resolution_days", "number", "Little's law: mean backlog / requests resolved per day, over the "
                                                "days reporting both.", minimum=0),
    _col("publication_threshold", "integer", "Smallest base count of a figure shown.", required=True, minimum=1),
)
HEADER = tuple(c.name for c in COLUMNS)


def _interval(stat: ShareStat | None) -> dict[str, float | None] | None:
    return None if stat is None else {"low": rounded(stat.interval.low), "high": rounded(stat.interval.high)}


def _quantile(quantile: WaitQuantile | None) -> dict[str, Any] | None:
    return None if quantile is None else {"minutes": rounded(quantile.minutes), "openEnded": quantile.open_ended}


def kpi_object(kpis: ServiceKpis) -> dict[str, Any]:
    """The ``kpis`` object of one service in the PTV-keyed JSON (camelCase keys as in the GraphQL API)."""
    s = kpis.stats
    entry: dict[str, Any] = {"firstDay": kpis.days.first.isoformat(), "lastDay": kpis.days.last.isoformat(),
                             "channelDays": s.channel_days}
    entry.update({key: getattr(s, field) for field, _, key, _ in COUNTS})
    entry["waitingTime"] = None if s.waits is None else dict(zip((k for _, k, _ in WAITS), s.waits, strict=True))
    for field, key, _ in SHARES:
        stat: ShareStat | None = getattr(s, field)
        entry[key] = None if stat is None else rounded(stat.value)
        entry[f"{key}Interval"] = _interval(stat)
    for field, key, _ in QUANTILES:
        entry[key] = _quantile(getattr(s, field))
    entry["costPerTransaction"] = rounded(s.cost_per_transaction)
    entry["requestQueue"] = _queue_object(s.queue)
    return entry


def _queue_object(queue: QueueStats | None) -> dict[str, Any] | None:
    """The e-request queue as the JSON carries it (keys as in the GraphQL API's ``requestQueue``)."""
    if queue is None:
        return None
    median = queue.median_backlog_age
    return {"requestsReceived": queue.requests_received, "requestsResolved": queue.requests_resolved,
            "backlogDay": None if queue.backlog_day is None else queue.backlog_day.isoformat(),
            "backlog": queue.backlog,
            "backlogAges": None if queue.backlog_ages is None else dict(
                zip((key for _, key, _ in BACKLOG_AGES), queue.backlog_ages, strict=True)),
            "medianBacklogAge": None if median is None else {"days": rounded(median[0]), "openEnded": median[1]},
            "oldestShare": None if queue.oldest_share is None else rounded(queue.oldest_share.value),
            "oldestShareInterval": _interval(queue.oldest_share),
            "estimatedResolutionDays": rounded(queue.estimated_resolution_days)}


def _queue_cells(queue: QueueStats | None) -> list[Any]:
    if queue is None:
        return [None] * 15
    median = queue.median_backlog_age
    return [queue.requests_received, queue.requests_resolved,
            None if queue.backlog_day is None else queue.backlog_day.isoformat(), queue.backlog,
            *(queue.backlog_ages or (None,) * len(BACKLOG_AGES)),
            *([None, None] if median is None else [rounded(median[0]), "true" if median[1] else "false"]),
            *_share_cells(queue.oldest_share), rounded(queue.estimated_resolution_days)]


def _share_cells(stat: ShareStat | None) -> list[float | None]:
    if stat is None:
        return [None, None, None]
    return [rounded(stat.value), rounded(stat.interval.low), rounded(stat.interval.high)]


def _quantile_cells(quantile: WaitQuantile | None) -> list[Any]:
    return [None, None] if quantile is None else [rounded(quantile.minutes),
                                                  "true" if quantile.open_ended else "false"]


def _row(dataset: ExportDataset, service: ServiceScores, kpis: ServiceKpis) -> list[Any]:
    source, s = dataset.source, kpis.stats
    return [
        source.kind, source.number, source.period, kpis.days.first.isoformat(), kpis.days.last.isoformat(),
        service.service_id, service.names.fi, service.names.sv, service.names.en, s.channel_days,
        *(getattr(s, field) for field, _, _, _ in COUNTS), *(s.waits or (None, None, None, None)),
        *(cell for field, _, _ in SHARES for cell in _share_cells(getattr(s, field))),
        *(cell for field, _, _ in QUANTILES for cell in _quantile_cells(getattr(s, field))),
        rounded(s.cost_per_transaction), *_queue_cells(s.queue), source.publication_threshold,
    ]


def rows(dataset: ExportDataset) -> Iterator[list[Any]]:
    """One row per service with published KPIs, in service-id order."""
    for service in dataset.services:
        if service.kpis is not None:
            yield _row(dataset, service, service.kpis)


def render(dataset: ExportDataset) -> Iterator[bytes]:
    """``service_kpis.csv`` (UTF-8, comma, header row, ``\\r\\n``) in chunks of about 64 KiB."""
    return csv_chunks(HEADER, rows(dataset))
