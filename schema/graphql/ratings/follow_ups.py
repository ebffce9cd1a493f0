"""GraphQL of follow-ups for organisations: reading their own free texts, attaching a follow-up afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from federation.auth.models import Role
from federation.errors import DomainError, RequestCode
from federation.feedback import service as themes
from federation.feedback.language import theme_matcher
from federation.feedback.themes import fold
from federation.privacy.free_text import MAX_PAGE, FreeTextEntry, read_free_texts, record_free_text_read
from federation.ratings import citizen
from federation.ratings.contract import FollowUp
from federation.registry.service import normalise_guid
from federation.scores.reading import Window
from schema.graphql.arguments import ServiceFilter, WindowFrom, WindowTo
from schema.graphql.context import Context
from schema.graphql.ratings.widget import CitizenAnswerPayload, payload_of, runtime


@strawberry.type(description="A follow-up free text of one of your answers, decrypted for you.")
class FreeText:
    cursor: strawberry.ID = strawberry.field(description="Pass as `after` to read the next page.")
    service_id: strawberry.ID = strawberry.field(description="The service.")
    channel_id: strawberry.ID | None = strawberry.field(description="The channel, if known.")
    question_id: strawberry.ID = strawberry.field(description="The main question answered.")
    wording_version: int = strawberry.field(description="Its wording version.")
    value: int | None = strawberry.field(description="The main answer.")
    drivers: list[str] = strawberry.field(description="Drivers chosen in the follow-up.")
    text: str | None = strawberry.field(description="The text (identifiers scrubbed at ingest); null when its "
                                                    "key was destroyed.")
    readable: bool = strawberry.field(description="False when the text can no longer be decrypted.")
    answered_at: dt.datetime = strawberry.field(description="When the answer was given.")
    locale: str | None = strawberry.field(description="The respondent's language.")
    themes: list[strawberry.ID] = strawberry.field(description="Keys of the feedback themes the text mentions, "
                                                               "your merges applied (see feedbackThemes).")

    @classmethod
    def from_entry(cls, e: FreeTextEntry, themes: frozenset[str] = frozenset()) -> FreeText:
        """The GraphQL view of a free-text entry (with the theme keys found in it)."""
        return cls(themes=[strawberry.ID(k) for k in sorted(themes)], cursor=strawberry.ID(str(e.rating_id)),
                   service_id=strawberry.ID(e.service_id),
                   channel_id=strawberry.ID(e.channel_id) if e.channel_id else None,
                   question_id=strawberry.ID(e.question_id), wording_version=e.wording_version, value=e.value,
                   drivers=list(e.drivers), text=e.text, readable=e.readable, answered_at=e.answered_at,
                   locale=e.locale)


@strawberry.type(description="A page of free texts, oldest first.")
class FreeTextPage:
    items: list[FreeText] = strawberry.field(description="The texts of this page.")
    end_cursor: strawberry.ID | None = strawberry.field(description="The last item's cursor (for `after`).")
    has_more: bool = strawberry.field(description="Whether another page may follow.")


@strawberry.input(description="A follow-up for an answer your back end already sent with submitRatings.")
class AttachFollowUpInput:
    client_ref: str = strawberry.field(description="The clientRef of the answer.")
    drivers: list[str] = strawberry.field(default_factory=list, description="Driver codes chosen.")
    text: str | None = strawberry.field(default=None, description="Optional free text (≤ 2000 characters).")


@strawberry.type
class FollowUpsQuery:
    @strawberry.field(description="Your organisation's follow-up free texts, decrypted, oldest first, paged "
                                  "(ORGANISATION only; every read is audited). Default window: the last 30 days.")
    def free_texts(
        self, info: Info[Context, None],
        service_id: ServiceFilter = None, window_from: WindowFrom = None, window_to: WindowTo = None,
        first: Annotated[int, strawberry.argument(description=f"Page size, 1-{MAX_PAGE}.")] = 50,
        after: Annotated[strawberry.ID | None, strawberry.argument(description="The cursor of the last item "
                                                                               "read.")] = None,
        theme: Annotated[strawberry.ID | None, strawberry.argument(
            description="Only texts that mention this theme (a key of feedbackThemeSettings; your merges "
                        "applied). A filtered page may hold fewer than `first` items: page on with endCursor "
                        "while hasMore.")] = None,
    ) -> FreeTextPage:
        ctx = info.context
        organisation = ctx.require_organisation()
        window = Window.resolve(now=ctx.now, start=window_from, end=window_to,
                                last_days=None if window_from or window_to else 30)
        if not 1 <= first <= MAX_PAGE:
            raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1-{MAX_PAGE}; page on with `after`.")
        if after is not None and not str(after).isdigit():
            raise DomainError(RequestCode.INVALID_CURSOR, "after must be the cursor of an item you read.")
        service = normalise_guid(service_id, "Service") if service_id else None
        entries = read_free_texts(ctx.session, organisation, runtime(ctx.services).ring, start=window.start,
                                  end=window.end, first=first, after=int(after) if after else None,
                                  service_id=service)
        with ctx.write_transaction() as audit:  # the request's read session is rolled back; the audit must stay
            record_free_text_read(audit, organisation_id=organisation, actor=ctx.require(Role.ORGANISATION).actor,
                                  now=ctx.now, count=len(entries), service_id=service)
        items = themed_items(ctx, organisation, entries, theme)
        return FreeTextPage(items=items, end_cursor=strawberry.ID(str(entries[-1].rating_id)) if entries else None,
                            has_more=len(entries) == first)


def themed_items(ctx: Context, organisation: str, entries: list[FreeTextEntry],
                 theme: strawberry.ID | None) -> list[FreeText]:
    """The entries with their theme keys (the organisation's merges applied), only those of ``theme`` if given."""
    wanted = themes.known_theme(str(theme), "theme") if theme is not None else None
    merged = themes.own_themes(ctx.session, organisation).merged
    matcher = theme_matcher()
    items = []
    for entry in entries:
        language = entry.locale[:2].lower() if entry.locale else None
        keys = fold(matcher.match(entry.text, language).keys, merged) if entry.text else frozenset()
        if wanted is None or merged.get(wanted, wanted) in keys:
            items.append(FreeText.from_entry(entry, keys))
    return items


@strawberry.type
class FollowUpsMutation:
    @strawberry.mutation(description="Attach the follow-up (drivers, free text) to an answer you sent earlier "
                                     "(ORGANISATION), e.g. when your page forwards the widget's arvio:follow-up "
                                     "event. Taken once per answer; drivers are counted in the rollups.")
    def attach_follow_up(self, info: Info[Context, None], input: AttachFollowUpInput) -> CitizenAnswerPayload:
        ctx = info.context
        organisation = ctx.require_organisation()
        outcome = citizen.attach_follow_up(ctx.session, organisation, input.client_ref,
                                           FollowUp(tuple(input.drivers), input.text), now=ctx.now,
                                           protector=ctx.services.protector)
        return payload_of(ctx, outcome, "fi")
