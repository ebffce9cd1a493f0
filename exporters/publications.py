"""What an export is built from: a numbered publication or the live published scores, with names.

:func:`load_dataset` streams what an export needs a page of services at a time (:data:`EXPORT_PAGE`): each page
is a handful of queries (scores in one grouped query, the page's published KPIs in a few more, then the services,
channels and organisations they refer to), so neither the cost grows with one query per service nor memory with the
catalogue. Only published cells and publishable KPI
figures are in a dataset: formats cannot leak anything else. A numbered publication's KPIs are the ones frozen
with it; live KPIs are computed over the reporting days of the window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.battery.models import Question, QuestionVersion
from federation.battery.scales import Scale
from federation.errors import DomainError, NotFound, PublicationCode
from federation.publication.kpis import ServiceKpis, live_service_kpis, publication_kpis
from federation.publication.models import Publication, PublicationStatus
from federation.publication.periods import Period
from federation.publication.reading import PublishedScore, by_service, read_published_scores
from federation.publication.service import get_publication, latest_published, publication_scores
from federation.registry import models as registry
from federation.rollups.writing import hour_of

LIVE_WINDOW = dt.timedelta(days=365)


@dataclass(frozen=True)
class Names:
    """A name in Finnish, Swedish and English (Swedish and English may be missing)."""

    fi: str
    sv: str | None
    en: str | None

    def as_dict(self) -> dict[str, str | None]:
        """``{"fi": …, "sv": …, "en": …}``."""
        return {"fi": self.fi, "sv": self.sv, "en": self.en}


@dataclass(frozen=True)
class Source:
    """Where the figures come from: publication ``number`` of a period, or ``live`` over a window."""

    kind: str
    number: int | None
    period: str | None
    start: dt.datetime
    end: dt.datetime
    publication_threshold: int
    as_of: dt.datetime
    replaces: int | None = None

    @property
    def label(self) -> str:
        """``publication-3`` or ``live``: used in file names and the formats' headers."""
        return f"publication-{self.number}" if self.number is not None else "live"


@dataclass(frozen=True)
class QuestionText:
    """A question under one wording version."""

    question_id: str
    wording_version: int
    scale: Scale
    text: Names


@dataclass(frozen=True)
class ChannelScores:
    """A channel of a service and its published scores."""

    channel_id: str
    channel_type: str
    names: Names
    scores: tuple[PublishedScore, ...]


@dataclass(frozen=True)
class ServiceScores:
    """A service, who provides it, its published totals, its channels' published scores and its published
    KPIs (None when it reported no volumes or none of its figures is publishable). A service may have KPIs and
    no published score (``totals`` and ``channels`` empty), never neither."""

    service_id: str
    names: Names
    organisations: tuple[tuple[str, Names], ...]
    totals: tuple[PublishedScore, ...]
    channels: tuple[ChannelScores, ...]
    kpis: ServiceKpis | None = None


@dataclass(frozen=True)
class ExportDataset:
    """Everything a format writes, in service-id order; ``services`` may be iterated more than once."""

    source: Source
    questions: dict[tuple[str, int], QuestionText]
    services: Iterable[ServiceScores]


def resolve_source(session: Session, spec: str, *, now: dt.datetime, publication_threshold: int,
                   period: Period | None = None) -> Source:
    """``live`` (last 365 days, or ``period``), ``latest`` (newest published publication) or a number."""
    spec = spec.strip().lower()
    if spec == "live":
        end = period.end if period else hour_of(now) + dt.timedelta(hours=1)
        start = period.start if period else end - LIVE_WINDOW
        return Source("live", None, period.label if period else None, start, end, publication_threshold,
                      min(end, hour_of(now)))
    if spec == "latest":
        publication = latest_published(session)
        if publication is None:
            raise NotFound(PublicationCode.NO_PUBLICATION,
                           "nothing has been published yet; export `live`, or create and "
                           "publish a publication first.")
    elif spec.isdigit():
        publication = get_publication(session, int(spec))
    else:
        raise DomainError(PublicationCode.INVALID_SOURCE, f"export source {spec!r} is not understood; use live, latest "
                                                          "or a publication number such as 3.")
    return source_of(publication)


def source_of(publication: Publication) -> Source:
    """The source of a published publication (drafts are never exported)."""
    if publication.status is not PublicationStatus.PUBLISHED or publication.published_at is None:
        raise NotFound(PublicationCode.UNKNOWN_PUBLICATION, f"publication {publication.number} is a draft; publish it "
                                                            "before exporting it.")
    return Source("publication", publication.number, publication.period, publication.period_start,
                  publication.period_end, publication.publication_threshold, publication.published_at,
                  publication.replaces_number)


def load_scores(session: Session, source: Source,
                service_ids: Collection[str] | None = None) -> list[PublishedScore]:
    """The published cells of ``source`` (one query)."""
    if source.number is None:
        return read_published_scores(session, start=source.start, end=source.end, service_ids=service_ids,
                                     publication_threshold=source.publication_threshold)
    return publication_scores(session, get_publication(session, source.number), service_ids)


def load_kpis(session: Session, source: Source,
              service_ids: Collection[str] | None = None) -> dict[str, ServiceKpis]:
    """The published KPIs of ``source``: frozen with a publication, or computed live (a few queries)."""
    if source.number is None:
        return live_service_kpis(session, start=source.start, end=source.end, service_ids=service_ids,
                                 publication_threshold=source.publication_threshold)
    return publication_kpis(session, source.number, service_ids)


EXPORT_PAGE = 500
"""Services read and written per step of an export: memory holds one page, whatever the catalogue's size."""


class ServiceStream:
    """The services of a dataset, in service-id order, read a page at a time each time it is iterated (an
    export's formats may pass over it more than once; keep them in one read transaction — see
    :func:`consistent_reads` — so every pass sees the same figures)."""

    def __init__(self, session: Session, source: Source, service_ids: Collection[str] | None, *,
                 with_kpis: bool, page: int = EXPORT_PAGE) -> None:
        self._session = session
        self._source = source
        self._ids = None if service_ids is None else sorted(set(service_ids))
        self._with_kpis = with_kpis
        self._page = page

    def __iter__(self) -> Iterator[ServiceScores]:
        for ids in self._pages():
            yield from _load_page(self._session, self._source, ids, with_kpis=self._with_kpis)

    def _pages(self) -> Iterator[list[str]]:
        if self._ids is not None:
            for start in range(0, len(self._ids), self._page):
                yield self._ids[start:start + self._page]
            return
        after = ""
        while True:  # keyset pages over the registry: the services of a page are one contiguous key range
            ids = list(self._session.scalars(select(registry.Service.id).where(registry.Service.id > after)
                                             .order_by(registry.Service.id).limit(self._page)))
            if not ids:
                return
            yield ids
            after = ids[-1]


def consistent_reads(session: Session) -> None:
    """Make ``session``'s next transaction one snapshot (PostgreSQL REPEATABLE READ, read only); SQLite's read
    transactions already are. Call before the session's first query."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})


def load_dataset(session: Session, source: Source, service_ids: Collection[str] | None = None, *,
                 with_kpis: bool = True) -> ExportDataset:
    """The dataset of ``source``, its services streamed (:class:`ServiceStream`); services with neither a
    published cell nor published KPIs are left out. ``with_kpis=False`` skips the KPIs (and their queries) for
    readers that show scores only."""
    return ExportDataset(source, _questions(session), ServiceStream(session, source, service_ids,
                                                                    with_kpis=with_kpis))


def materialised(dataset: ExportDataset) -> ExportDataset:
    """``dataset`` with its services read into a tuple (for small datasets used after their session ends)."""
    return dataclasses.replace(dataset, services=tuple(dataset.services))


def _load_page(session: Session, source: Source, service_ids: list[str], *,
               with_kpis: bool) -> list[ServiceScores]:
    """The services among ``service_ids`` with something published, in a handful of queries (plain column rows:
    an export reads tens of thousands of names, and mapped objects cost several times a tuple each)."""
    scores = by_service(load_scores(session, source, service_ids))
    kpis = load_kpis(session, source, service_ids) if with_kpis else {}
    listed = scores.keys() | kpis.keys()
    service, channel = registry.Service, registry.Channel
    services = _named(session, service.id, (), service, listed)
    channel_ids = {s.key.channel_id for cells in scores.values() for s in cells if s.key.channel_id}
    channels = _named(session, channel.id, (channel.channel_type,), channel, channel_ids)
    providers = _providers(session, listed)
    entries = []
    for service_id in sorted(listed):
        named = services.get(service_id)
        if named is None:
            continue
        cells = scores.get(service_id, [])
        per_channel: dict[str, list[PublishedScore]] = defaultdict(list)
        for cell in cells:
            if cell.key.channel_id:
                per_channel[cell.key.channel_id].append(cell)
        entries.append(ServiceScores(
            service_id, named[1], providers.get(service_id, ()),
            tuple(c for c in cells if not c.key.channel_id),
            tuple(ChannelScores(c, channels[c][0][0].value, channels[c][1], tuple(per_channel[c]))
                  for c in sorted(per_channel) if c in channels), kpis.get(service_id)))
    return entries


_Named = tuple[tuple[Any, ...], Names]


def _named(session: Session, key: Any, extra: tuple[Any, ...], model: Any,
           ids: Collection[str]) -> dict[str, _Named]:
    """``{id: (extra column values, names)}`` of the ``model`` rows whose ``key`` is in ``ids``."""
    if not ids:
        return {}
    width = len(extra)
    rows = session.execute(select(key, *extra, model.name_fi, model.name_sv, model.name_en)
                           .where(key.in_(sorted(ids))))
    return {row[0]: (tuple(row[1:1 + width]), Names(*row[1 + width:])) for row in rows}


def _providers(session: Session, scores: Collection[str]) -> dict[str, tuple[tuple[str, Names], ...]]:
    if not scores:
        return {}
    link, org = registry.ServiceOrganisation, registry.Organisation
    rows = session.execute(select(link.service_id, org.business_id, org.name_fi, org.name_sv, org.name_en)
                           .join(org, org.business_id == link.organisation_id)
                           .where(link.service_id.in_(sorted(scores)))
                           .order_by(link.service_id, org.business_id))
    known: dict[str, tuple[str, Names]] = {}  # an organisation's names, built once per page
    found: dict[str, list[tuple[str, Names]]] = defaultdict(list)
    for service_id, business_id, name_fi, name_sv, name_en in rows:
        entry = known.get(business_id)
        if entry is None:
            entry = known[business_id] = (business_id, Names(name_fi, name_sv, name_en))
        found[service_id].append(entry)
    return {k: tuple(v) for k, v in found.items()}


def _questions(session: Session) -> dict[tuple[str, int], QuestionText]:
    rows = session.execute(select(QuestionVersion, Question.scale)
                           .join(Question, Question.id == QuestionVersion.question_id))
    return {(v.question_id, v.version): QuestionText(v.question_id, v.version, scale,
                                                     Names(v.text_fi, v.text_sv, v.text_en))
            for v, scale in rows}
