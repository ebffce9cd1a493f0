"""CSV of published scores: one row per (service, channel or service total, question, wording version).

The columns are declared once (:data:`COLUMNS`, with Table Schema types and descriptions) so the open-data
package's ``datapackage.json`` describes exactly what this writer writes. Empty cells mean "not applicable"
(e.g. ``nps`` of a star question). Every row states the period, the publication and the wording version.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from exporters.figures import iso, rounded, stars
from exporters.publications import ChannelScores, ExportDataset, ServiceScores, Source
from federation.publication.reading import PublishedScore
from federation.scores.nps import NpsBand, band_of_nps
from federation.scores.stats import Interval

MEDIA_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Column:
    """A CSV column as Table Schema describes it."""

    name: str
    type: str
    description: str
    constraints: dict[str, Any] | None = None


def _c(name: str, kind: str, description: str, **constraints: Any) -> Column:
    return Column(name, kind, description, constraints or None)


COLUMNS: tuple[Column, ...] = (
    _c("source", "string", "live, or publication (a numbered, frozen publication).", required=True,
       enum=["live", "publication"]),
    _c("publication", "integer", "Publication number; empty for live figures.", minimum=1),
    _c("period", "string", "Period name (2026, 2026-Q1, 2026-03); empty for a rolling live window."),
    _c("period_start", "datetime", "Start of the period, inclusive (UTC).", required=True),
    _c("period_end", "datetime", "End of the period, exclusive (UTC).", required=True),
    _c("level", "string", "service: the service's total over all channels; channel: one channel.",
       required=True, enum=["service", "channel"]),
    _c("service_id", "string", "PTV service id (GUID).", required=True),
    _c("service_name_fi", "string", "Service name in Finnish.", required=True),
    _c("service_name_sv", "string", "Service name in Swedish."),
    _c("service_name_en", "string", "Service name in English."),
    _c("channel_id", "string", "PTV service channel id (GUID); empty on service rows."),
    _c("channel_type", "string", "PTV channel type (EChannel, WebPage, Phone, …)."),
    _c("channel_name_fi", "string", "Channel name in Finnish."),
    _c("channel_name_sv", "string", "Channel name in Swedish."),
    _c("channel_name_en", "string", "Channel name in English."),
    _c("question_id", "string", "Question id, e.g. national.transaction-smooth.", required=True),
    _c("wording_version", "integer", "Wording version the answers were collected under.", required=True,
       minimum=1),
    _c("scale", "string", "Answer scale.", required=True,
       enum=["STARS_5", "NPS_11", "YES_NO", "FACES_4", "LIKERT_5"]),
    _c("count", "integer", "Answers (n); at least the publication threshold.", required=True, minimum=1),
    _c("skipped", "integer", "Exposures skipped without an answer.", required=True, minimum=0),
    _c("response_rate", "number", "answered / (answered + skipped).", minimum=0, maximum=1),
    _c("mean", "number", "Mean answer value."),
    _c("mean_low", "number", "Lower bound of the 95 % interval of the mean."),
    _c("mean_high", "number", "Upper bound of the 95 % interval of the mean."),
    _c("stars", "number", "The mean on a 1–5 star scale (other scales mapped linearly).", minimum=1, maximum=5),
    _c("top_two_box", "number", "Share of the two best values (CSAT).", minimum=0, maximum=1),
    _c("top_two_box_low", "number", "Lower bound of the Wilson 95 % interval of top_two_box."),
    _c("top_two_box_high", "number", "Upper bound of the Wilson 95 % interval of top_two_box."),
    _c("nps", "number", "Net Promoter Score (NPS_11 only).", minimum=-100, maximum=100),
    _c("nps_low", "number", "Lower bound of the 95 % interval of the NPS."),
    _c("nps_high", "number", "Upper bound of the 95 % interval of the NPS."),
    _c("nps_band", "string", "Interpretation band of the NPS: below 0 NEEDS_IMPROVEMENT, 0–30 GOOD, above 30 "
       "up to 70 GREAT, above 70 EXCELLENT (a rule of thumb; source in federation/scores/nps.py).",
       enum=[band.value for band in NpsBand]),
    _c("yes_share", "number", "Share of yes answers (YES_NO only).", minimum=0, maximum=1),
    _c("yes_share_low", "number", "Lower bound of the Wilson 95 % interval of yes_share."),
    _c("yes_share_high", "number", "Upper bound of the Wilson 95 % interval of yes_share."),
    _c("publication_threshold", "integer", "Smallest n published.", required=True, minimum=1),
)
HEADER = tuple(c.name for c in COLUMNS)


def _band(nps: float | None) -> str | None:
    band = band_of_nps(nps)
    return None if band is None else band.value


def _bounds(interval: Interval | None) -> tuple[float | None, float | None]:
    return (None, None) if interval is None else (rounded(interval.low), rounded(interval.high))


def _row(source: Source, service: ServiceScores, channel: ChannelScores | None,
         score: PublishedScore) -> list[Any]:
    s = score.stats
    channel_part: list[Any] = [None] * 5 if channel is None else [
        channel.channel_id, channel.channel_type, channel.names.fi, channel.names.sv, channel.names.en]
    return [
        source.kind, source.number, source.period, iso(source.start), iso(source.end),
        "service" if channel is None else "channel", service.service_id, service.names.fi, service.names.sv,
        service.names.en, *channel_part, score.key.question_id, score.key.wording_version, s.scale.value,
        s.count, s.skipped, rounded(s.response_rate), rounded(s.mean), *_bounds(s.mean_interval), stars(score),
        rounded(s.top_two_box), *_bounds(s.top_two_box_interval), rounded(s.nps), *_bounds(s.nps_interval),
        _band(s.nps), rounded(s.yes_share), *_bounds(s.yes_share_interval), source.publication_threshold,
    ]


def rows(dataset: ExportDataset) -> Iterator[list[Any]]:
    """Every row, service by service: the service's totals, then each channel's scores."""
    for service in dataset.services:
        for score in service.totals:
            yield _row(dataset.source, service, None, score)
        for channel in service.channels:
            for score in channel.scores:
                yield _row(dataset.source, service, channel, score)


def render(dataset: ExportDataset) -> Iterator[bytes]:
    """The CSV (UTF-8, comma, header row, ``\\r\\n`` line ends as RFC 4180) in chunks of about 64 KiB."""
    return csv_chunks(HEADER, rows(dataset))


def csv_chunks(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """A header and rows as RFC 4180 CSV (UTF-8, comma, ``\\r\\n``; None as empty), in chunks of about 64 KiB."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
