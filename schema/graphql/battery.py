"""GraphQL of the question battery."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from federation.battery import models
from schema.graphql.context import Context
from schema.graphql.locale import Locale, pick
from schema.graphql.scores import ScaleType


@strawberry.type(description="A main question: national (owner null) or an organisation's own.")
class Question:
    id: strawberry.ID = strawberry.field(description="Stable id, e.g. national.transaction-smooth.")
    scale: ScaleType = strawberry.field(description="Answer scale.")  # type: ignore[valid-type]
    wording_version: int = strawberry.field(description="Current wording version.")
    owner: str | None = strawberry.field(description="Owning organisation's business ID; null for national.")
    retired: bool = strawberry.field(description="Retired questions take no new answers.")
    texts: strawberry.Private[tuple[str, str, str]]

    @strawberry.field(description="The current wording in the given language.")
    def text(self, locale: Locale = Locale.FI) -> str:
        return pick(locale, *self.texts)

    @classmethod
    def from_model(cls, q: models.Question, wording: models.QuestionVersion) -> Question:
        """The GraphQL view of a question and its current wording."""
        return cls(id=strawberry.ID(q.id), scale=q.scale, wording_version=q.current_version,
                   owner=q.owner_organisation_id, retired=q.retired_at is not None,
                   texts=(wording.text_fi, wording.text_sv, wording.text_en))


@strawberry.type
class BatteryQuery:
    @strawberry.field(description="The national battery and, for an organisation's token, its own questions.")
    def questions(self, info: Info[Context, None]) -> list[Question]:
        ctx = info.context
        principal = ctx.principal
        owner = principal.organisation_id if principal else None
        stmt = (select(models.Question, models.QuestionVersion)
                .join(models.QuestionVersion, (models.QuestionVersion.question_id == models.Question.id)
                      & (models.QuestionVersion.version == models.Question.current_version))
                .where(models.Question.owner_organisation_id.is_(None)
                       | (models.Question.owner_organisation_id == owner))
                .order_by(models.Question.owner_organisation_id.is_not(None), models.Question.id))
        return [Question.from_model(q, v) for q, v in ctx.session.execute(stmt)]
