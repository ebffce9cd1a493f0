"""Published scores of many services at once, read from the rollups in one grouped query (``read_histograms`` of
federation/rollups/reading.py, grouped by cell).

A *cell* is the histogram of one (service, channel, question, wording version) over a window. A service's
total (every channel, and answers sent without a channel) is its own cell. Which cells may be shown publicly
is decided by :func:`publishable`, a pure function: a cell is published when its n reaches the publication
threshold, and channel cells are additionally suppressed when the channels left out would otherwise be
derivable by subtracting the published channels from the published total (secondary suppression).

Guarantee: no cell with n below the threshold, and no remainder "total minus published channels" with
0 < n < threshold, is ever returned. Limits: differencing across different windows or publications is not
controlled here (periods are fixed and publications frozen, which is what limits that risk).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.battery.models import Question
from federation.battery.scales import Scale
from federation.publication.models import SERVICE_TOTAL
from federation.rollups.models import NO_CHANNEL
from federation.rollups.reading import Grouping, read_histograms
from federation.scores.stats import Histogram, ScoreStats, summarise


@dataclass(frozen=True, order=True)
class CellKey:
    """Which cell: ``channel_id`` is ``SERVICE_TOTAL`` ("") for the service's total over every channel."""

    service_id: str
    channel_id: str
    question_id: str
    wording_version: int


@dataclass(frozen=True)
class PublishedScore:
    """A cell that may be shown publicly, with its histogram and every metric."""

    key: CellKey
    histogram: Histogram
    stats: ScoreStats

    @property
    def channel_id(self) -> str | None:
        """The channel, or None for the service's total."""
        return self.key.channel_id or None


@dataclass(frozen=True)
class RawCell:
    """A cell's slot counts as summed from rollups (slot ``v`` counts value ``v``) and its skips."""

    slots: tuple[int, ...]
    skipped: int


def question_scales(session: Session) -> dict[str, Scale]:
    """The scale of every question (a small table, read once per export or request)."""
    return {row[0]: row[1] for row in session.execute(select(Question.id, Question.scale))}


def read_raw_cells(session: Session, *, start: dt.datetime, end: dt.datetime,
                   service_ids: Collection[str] | None = None) -> dict[CellKey, RawCell]:
    """Every (service, channel, question, version) histogram of [start, end), in one grouped query.

    ``service_ids`` limits the read to those services (the federation subgraph's batches); None reads all.
    Answers sent without a channel keep the rollups' empty channel id.
    """
    rows = read_histograms(session, services=service_ids, questions=None, start=start, end=end, by=Grouping.CELL)
    return {CellKey(*row.key): RawCell(row.slots, row.skipped) for row in rows}


def publishable(cells: Mapping[CellKey, RawCell], scales: Mapping[str, Scale], *,
                publication_threshold: int) -> list[PublishedScore]:
    """The cells that may be published, sorted by key; see the module docstring for the guarantee.

    ``cells`` are per-channel histograms as read from rollups (the empty channel id is "no channel given");
    service totals are computed here. Cells of unknown questions are ignored.
    """
    groups: dict[tuple[str, str, int], dict[str, Histogram]] = defaultdict(dict)
    for key, raw in cells.items():
        scale = scales.get(key.question_id)
        if scale is None:
            continue
        histogram = Histogram.from_slots(scale, raw.slots, skipped=raw.skipped)
        if histogram.count == 0 and histogram.skipped == 0:
            continue
        groups[(key.service_id, key.question_id, key.wording_version)][key.channel_id] = histogram
    published: list[PublishedScore] = []
    for (service_id, question_id, version), by_channel in groups.items():
        for channel_id, histogram in _publishable_group(by_channel, publication_threshold).items():
            key = CellKey(service_id, channel_id, question_id, version)
            stats = summarise(histogram, publication_threshold=publication_threshold)
            published.append(PublishedScore(key, histogram, stats))
    return sorted(published, key=_order)


def _order(score: PublishedScore) -> tuple[str, str, int, str]:
    """Service, question, wording version, then the total before its channels."""
    key = score.key
    return key.service_id, key.question_id, key.wording_version, key.channel_id


def _publishable_group(by_channel: Mapping[str, Histogram], threshold: int) -> dict[str, Histogram]:
    """Total and channel cells of one (service, question, version) that may be shown."""
    histograms = list(by_channel.values())
    total = histograms[0]
    for histogram in histograms[1:]:
        total = total + histogram
    if total.count < threshold:
        return {}
    channels = {c: h for c, h in by_channel.items() if c != NO_CHANNEL and h.count >= threshold}
    remainder = total.count - sum(h.count for h in channels.values())
    while channels and 0 < remainder < threshold:
        # Suppress the smallest published channel too, so the hidden part is no longer derivable.
        smallest = min(channels, key=lambda c: (channels[c].count, c))
        remainder += channels.pop(smallest).count
    return {SERVICE_TOTAL: total, **dict(sorted(channels.items()))}


def read_published_scores(session: Session, *, start: dt.datetime, end: dt.datetime,
                          publication_threshold: int,
                          service_ids: Collection[str] | None = None) -> list[PublishedScore]:
    """The published cells of [start, end) for ``service_ids`` (None: every service), from rollups."""
    cells = read_raw_cells(session, start=start, end=end, service_ids=service_ids)
    return publishable(cells, question_scales(session), publication_threshold=publication_threshold)


def by_service(scores: Iterable[PublishedScore]) -> dict[str, list[PublishedScore]]:
    """Scores grouped by service id, keeping their order."""
    grouped: dict[str, list[PublishedScore]] = defaultdict(list)
    for score in scores:
        grouped[score.key.service_id].append(score)
    return dict(grouped)
