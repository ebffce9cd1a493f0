"""GraphQL of follow-up drivers: "what went well / what didn't" of a service, part of its score."""

from __future__ import annotations

import strawberry

from federation.battery.followups import Band
from federation.registry import service as registry
from federation.rollups.reading import read_driver_counts
from federation.scores.reading import Window, read_score
from schema.graphql.context import Context


@strawberry.type(description="How many answers chose a driver.")
class DriverCount:
    driver: str = strawberry.field(description="Driver code: effectiveness, ease, efficiency, transparency, "
                                               "language, staff or other.")
    count: int = strawberry.field(description="Answers in the band that chose it.")


@strawberry.type(description="Follow-up drivers of a service's question over a window, by the answer's band: "
                             "what went well (POSITIVE answers), what could be better (NEUTRAL) and what should "
                             "improve (NEGATIVE). Hidden like the score when below the publication threshold.")
class DriverSummary:
    question_id: strawberry.ID = strawberry.field(description="The main question.")
    wording_version: int = strawberry.field(description="The wording version counted.")
    published: bool = strawberry.field(description="Whether the score's n reached the publication threshold.")
    answers: int | None = strawberry.field(description="Answers (n) in the window; null when hidden.")
    went_well: list[DriverCount] = strawberry.field(description="Drivers of POSITIVE answers, most chosen first.")
    could_be_better: list[DriverCount] = strawberry.field(description="Drivers of NEUTRAL answers.")
    to_improve: list[DriverCount] = strawberry.field(description="Drivers of NEGATIVE answers.")


def driver_summary(ctx: Context, service_id: str, question_id: str, window: Window, *,
                   channel_id: str | None, wording_version: int | None) -> DriverSummary:
    """Driver counts of ``service_id``, shown to whoever may see the service's score."""
    score = read_score(ctx.session, service_id=service_id, question_id=question_id, window=window,
                       publication_threshold=ctx.settings.publication_threshold, wording_version=wording_version,
                       channel_id=channel_id)
    show = score.stats.published or ctx.may_see_unpublished(registry.organisations_of(ctx.session, service_id))
    qid, version, published = strawberry.ID(question_id), score.wording_version, score.stats.published
    if not show:
        return DriverSummary(question_id=qid, wording_version=version, published=published, answers=None,
                             went_well=[], could_be_better=[], to_improve=[])
    counts = read_driver_counts(ctx.session, service_id=service_id, question_id=question_id,
                                wording_version=score.wording_version, start=window.start, end=window.end,
                                channel_id=channel_id)

    def listed(band: Band) -> list[DriverCount]:
        return [DriverCount(driver=d, count=n) for d, n in counts.of(band)]

    return DriverSummary(question_id=qid, wording_version=version, published=published, answers=score.stats.count,
                         went_well=listed(Band.POSITIVE), could_be_better=listed(Band.NEUTRAL),
                         to_improve=listed(Band.NEGATIVE))
