"""GraphQL of scores: the detailed score for tokens, and the public score for everyone with its reading (the
last 365 days, cached per process and invalidated across hosts by the score stamps of federation/shared/stamps.py;
``publicScore`` is resolved by graphql-core, ``fast_public_score``)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from graphql import GraphQLResolveInfo

from federation.battery.scales import Scale
from federation.errors import NotFound, RegistryCode
from federation.registry import models
from federation.rollups.writing import hour_of
from federation.scores import stats
from federation.scores.nps import NPS_BAND_LABELS, NpsBand, band_of_nps
from federation.scores.reading import Score as ScoreRecord
from federation.scores.reading import Window, read_score
from federation.shared.stamps import version_of
from schema.graphql.context import Context, Services

ScaleType = strawberry.enum(Scale, name="Scale", description="The answer scale of a question.")
NpsBandType = strawberry.enum(NpsBand, name="NpsBand", description=(
    "How an NPS reads by the common rule of thumb: NEEDS_IMPROVEMENT below 0, GOOD 0–30, GREAT above 30 up to 70, "
    "EXCELLENT above 70 (a practitioner heuristic, not a standard; source and caveats in "
    "federation/scores/nps.py). Shown beside the NPS, never instead of it."))


def nps_band_of(nps: float | None) -> NpsBand | None:
    """The interpretation band of a shown NPS (None when the NPS is not shown)."""
    return band_of_nps(nps)


def nps_band_label(band: NpsBand | None, locale: str) -> str | None:
    """The band's name in ``locale`` (fi, sv, en)."""
    if band is None:
        return None
    label = NPS_BAND_LABELS[band]
    return {"sv": label.sv, "en": label.en}.get(locale, label.fi)


@strawberry.type(description="A 95 % confidence interval.")
class Interval:
    low: float = strawberry.field(description="Lower bound.")
    high: float = strawberry.field(description="Upper bound.")

    @classmethod
    def from_stats(cls, interval: stats.Interval | None) -> Interval | None:
        """The GraphQL interval of a statistics interval (None stays None)."""
        return None if interval is None else cls(low=interval.low, high=interval.high)


@strawberry.type(description="How many answers had one value of the scale.")
class DistributionBin:
    value: int = strawberry.field(description="A value of the scale.")
    count: int = strawberry.field(description="How many answers had this value.")


@strawberry.enum(description="Which metric `interval` and `headline` refer to.")
class Headline(Enum):
    MEAN = "MEAN"
    NPS = "NPS"
    YES_SHARE = "YES_SHARE"


@strawberry.type(description="A question's score for a service over a window [from, to), from the hourly rollups. "
                             "Values are null when there are no answers, and for callers who may not see "
                             "unpublished figures, also when `published` is false.")
class Score:
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    question_id: strawberry.ID = strawberry.field(description="The question.")
    wording_version: int = strawberry.field(description="The wording version the answers were collected under.")
    scale: ScaleType = strawberry.field(description="The answer scale.")  # type: ignore[valid-type]
    window_from: dt.datetime = strawberry.field(name="from", description="Start of the window (inclusive).")
    window_to: dt.datetime = strawberry.field(name="to", description="End of the window (exclusive).")
    published: bool = strawberry.field(description="Whether n reached the publication threshold.")
    count: int | None = strawberry.field(description="Answers (n), skips excluded.")
    skipped: int | None = strawberry.field(description="Exposures that were skipped.")
    mean: float | None = strawberry.field(description="Mean answer value.")
    headline: Headline = strawberry.field(description="The scale's headline metric: NPS for NPS_11, yes-share "
                                                      "for YES_NO, otherwise the mean.")
    interval: Interval | None = strawberry.field(description="95 % interval of the headline metric.")
    mean_interval: Interval | None = strawberry.field(description="95 % interval of the mean (normal approx.).")
    top_two_box: float | None = strawberry.field(description="Share of the two best values (CSAT), 0–1.")
    top_two_box_interval: Interval | None = strawberry.field(description="Wilson 95 % interval of topTwoBox.")
    yes_share: float | None = strawberry.field(description="Share of 'yes' answers (YES_NO only), 0–1.")
    yes_share_interval: Interval | None = strawberry.field(description="Wilson 95 % interval of yesShare.")
    nps: float | None = strawberry.field(description="Net Promoter Score −100…100 (NPS_11 only).")
    nps_interval: Interval | None = strawberry.field(description="95 % interval of the NPS.")
    nps_band: NpsBandType | None = strawberry.field(description="The NPS's interpretation band (NPS_11 only).")  # type: ignore[valid-type]
    normalised: float | None = strawberry.field(description="(mean − min)/(max − min), 0–1.")
    normalised_interval: Interval | None = strawberry.field(description="95 % interval of `normalised`.")
    response_rate: float | None = strawberry.field(description="answered / (answered + skipped).")
    distribution: list[DistributionBin] | None = strawberry.field(description="Answers per scale value.")

    @classmethod
    def from_record(cls, record: ScoreRecord, *, reveal_unpublished: bool) -> Score:
        """The GraphQL score of a domain score; hides every figure of an unpublished score unless allowed."""
        s = record.stats
        show = s.published or reveal_unpublished
        headline = Headline.NPS if s.scale is Scale.NPS_11 else (
            Headline.YES_SHARE if s.scale is Scale.YES_NO else Headline.MEAN)
        main = {Headline.NPS: s.nps_interval, Headline.YES_SHARE: s.yes_share_interval}.get(headline,
                                                                                           s.mean_interval)
        iv = Interval.from_stats
        return cls(
            service_id=strawberry.ID(record.service_id), question_id=strawberry.ID(record.question_id),
            wording_version=record.wording_version, scale=s.scale, window_from=record.window.start,
            window_to=record.window.end, published=s.published, headline=headline,
            count=s.count if show else None, skipped=s.skipped if show else None,
            mean=s.mean if show else None, interval=iv(main) if show else None,
            mean_interval=iv(s.mean_interval) if show else None,
            top_two_box=s.top_two_box if show else None,
            top_two_box_interval=iv(s.top_two_box_interval) if show else None,
            yes_share=s.yes_share if show else None,
            yes_share_interval=iv(s.yes_share_interval) if show else None,
            nps=s.nps if show else None, nps_interval=iv(s.nps_interval) if show else None,
            nps_band=nps_band_of(s.nps) if show else None,
            normalised=s.normalised if show else None,
            normalised_interval=iv(s.normalised_interval) if show else None,
            response_rate=s.response_rate if show else None,
            distribution=[DistributionBin(value=v, count=c) for v, c in s.distribution] if show else None,
        )


@strawberry.type(description="Other users' rating of a service, as anyone may see it. Below the publication "
                             "threshold only `published: false` is shown.")
class PublicScore:
    service_id: strawberry.ID = strawberry.field(description="The service's PTV id.")
    question_id: strawberry.ID = strawberry.field(description="The question.")
    scale: ScaleType = strawberry.field(description="The question's answer scale; it says which figure to show: "  # type: ignore[valid-type]
                                                    "`nps` for NPS_11, `yesShare` for YES_NO, else `stars`.")
    published: bool = strawberry.field(description="Whether enough answers exist to show a value.")
    count: int | None = strawberry.field(description="Answers in the last 365 days.")
    mean: float | None = strawberry.field(description="Mean answer value, rounded to 0.01.")
    stars: float | None = strawberry.field(description="The score on a 1–5 star scale, rounded to 0.1 "
                                                       "(other scales mapped linearly).")
    nps: float | None = strawberry.field(description="Net Promoter Score (NPS_11 questions only), rounded to 1.")
    nps_band: NpsBandType | None = strawberry.field(description="The NPS's interpretation band (NPS_11 only).")  # type: ignore[valid-type]
    yes_share: float | None = strawberry.field(description="Share of 'yes' (YES_NO questions only), 0–1.")
    wording_version: int = strawberry.field(description="The wording version the answers were collected under.")

    @classmethod
    def from_record(cls, record: ScoreRecord) -> PublicScore:
        """The public view of a domain score: values only when published."""
        s = record.stats
        service_id, question_id = strawberry.ID(record.service_id), strawberry.ID(record.question_id)
        if not s.published or s.mean is None or s.normalised is None:
            return cls(service_id=service_id, question_id=question_id, wording_version=record.wording_version,
                       scale=s.scale, published=False, count=None, mean=None, stars=None, nps=None, nps_band=None,
                       yes_share=None)
        return cls(service_id=service_id, question_id=question_id, wording_version=record.wording_version,
                   scale=s.scale, published=True, count=s.count, mean=round(s.mean, 2),
                   stars=round(1 + 4 * s.normalised, 1), nps=None if s.nps is None else round(s.nps),
                   nps_band=nps_band_of(s.nps), yes_share=s.yes_share)


def nps_band_name(score: PublicScore) -> str | None:
    """The public score's NPS band as its enum name (the plain-JSON shape), or None."""
    return None if score.nps_band is None else NpsBand(score.nps_band).value


PUBLIC_WINDOW = dt.timedelta(days=365)
_HOUR = dt.timedelta(hours=1)


def public_window_end(now: dt.datetime) -> dt.datetime:
    """The end of the public score's window: the end of the current hour (the cache's key beside the question)."""
    return hour_of(now) + _HOUR


def public_window(now: dt.datetime) -> Window:
    """The public score's window: the last 365 days up to the end of the current hour (stable for caching)."""
    end = public_window_end(now)
    return Window(end - PUBLIC_WINDOW, end)


def cached_public_score(services: Services, service_id: str, question_id: str,
                        now: dt.datetime) -> PublicScore | None:
    """The public score from the per-process cache, or None (no database touched)."""
    cached = services.public_scores.get(service_id.strip().lower(), (question_id, public_window_end(now)))
    return cached if isinstance(cached, PublicScore) else None


def public_score_for(ctx: Context, service_id: str, question_id: str) -> PublicScore:
    """Other users' rating: from the cache when fresh, else read from the rollups and cached (ingest invalidates)."""
    cached = cached_public_score(ctx.services, service_id, question_id, ctx.now)
    if cached is not None:
        return cached
    row = ctx.session.get(models.Service, str(service_id).strip().lower())
    if row is None:
        raise NotFound(RegistryCode.UNKNOWN_SERVICE,
                       f"No service {service_id} is registered in arvio; use the service's PTV id.")
    window = public_window(ctx.now)
    # Another host announced a change: read the stamp first, so the score read after it is at least that new (or
    # the value, from a replica that has not replayed the change yet, is served but not cached).
    version = None if ctx.services.public_scores.floor(row.id) is None else version_of(ctx.session, row.id)
    result = PublicScore.from_record(read_score(
        ctx.session, service_id=row.id, question_id=question_id, window=window,
        publication_threshold=ctx.settings.publication_threshold))
    ctx.services.public_scores.put(row.id, (question_id, window.end), result, version=version)
    return result


def fast_public_score(_root: object, info: GraphQLResolveInfo[Context], serviceId: str,  # noqa: N803
                      questionId: str = "national.transaction-smooth") -> PublicScore:  # noqa: N803
    """graphql-core resolver of ``publicScore`` (the widget's hottest read), skipping strawberry's per-field work."""
    return public_score_for(info.context, serviceId, questionId)
