"""GraphQL of closing the loop (ORGANISATION only): the feedback inbox, handling an item (status, handler, notes)
and public replies the citizen reads at ``/r/<code>``. Domain: federation/feedback/.

Reads of the inbox are audited in a transaction of their own (``Context.write_transaction``); changes are audited
in the mutation's. Another organisation's item is UNKNOWN_FEEDBACK, never told apart from a missing one.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Annotated

import strawberry
from strawberry.types import Info

from federation.analytics.series import LOCAL_TIME_ZONE
from federation.auth.models import Role
from federation.errors import DomainError, FeedbackCode
from federation.feedback import inbox, replies, workflow
from federation.feedback.inbox import InboxFilter, InboxItem
from federation.feedback.items import Level, Status
from federation.feedback.language import theme_matcher
from federation.feedback.models import FeedbackReply as ReplyRow
from federation.feedback.models import FeedbackState
from federation.feedback.notes import Note
from federation.feedback.service import own_themes
from federation.feedback.themes import label_of
from federation.feedback.theming import theming_of
from federation.registry.service import normalise_guid
from schema.graphql.context import Context
from schema.graphql.locale import Locale
from schema.graphql.ratings.widget import runtime

FeedbackStatus = strawberry.enum(Status, name="FeedbackStatus", description="Where the handling of a feedback item "
                                 "stands: RECEIVED → READ → IN_PROGRESS → ANSWERED / NO_ACTION (steps may be "
                                 "skipped; a closed item may be reopened to IN_PROGRESS; nothing goes back to "
                                 "RECEIVED).")


@strawberry.enum(description="Where an answer falls on its own scale: LOW (stars 1-2, NPS 0-6), MID (3, NPS 7-8), "
                             "HIGH (4-5, NPS 9-10).")
class FeedbackBand(enum.Enum):
    LOW = "LOW"
    MID = "MID"
    HIGH = "HIGH"


_ID = re.compile(r"[1-9][0-9]{0,17}")


def _id(raw: strawberry.ID, code: FeedbackCode = FeedbackCode.UNKNOWN_FEEDBACK) -> int:
    if _ID.fullmatch(str(raw)) is None:
        raise DomainError(code, f"{str(raw)[:40]!r} is not an id; take it from feedbackInbox or feedbackReplies.")
    return int(str(raw))


def _band(level: Level | None) -> FeedbackBand | None:
    return FeedbackBand[level.name] if level is not None else None


@strawberry.type(description="An internal note on a feedback item (sealed at rest; seen by the service's "
                             "organisations only).")
class FeedbackNote:
    id: strawberry.ID = strawberry.field(description="The note's id.")
    organisation_id: str = strawberry.field(description="The organisation that wrote it (business ID).")
    text: str | None = strawberry.field(description="The note; null when its key was destroyed.")
    created_at: dt.datetime = strawberry.field(description="When it was written.")

    @classmethod
    def of(cls, note: Note) -> FeedbackNote:
        """The GraphQL view of a note."""
        return cls(id=strawberry.ID(str(note.note_id)), organisation_id=note.organisation_id, text=note.text,
                   created_at=note.created_at)


@strawberry.type(description="A feedback theme a free text mentions, as your organisation shows it.")
class FeedbackItemTheme:
    key: strawberry.ID = strawberry.field(description="The theme's key (your merges applied: the theme it counts "
                                                      "under).")
    label: str = strawberry.field(description="Your own label, else the seed label in the locale asked for.")


@strawberry.type(description="A follow-up (drivers and/or free text) to one of your services, decrypted for you.")
class FeedbackItem:
    id: strawberry.ID = strawberry.field(description="The item's id (for status, handler, notes, replies).")
    cursor: str = strawberry.field(description="Pass as `after` to read the items after this one.")
    service_id: strawberry.ID = strawberry.field(description="The service.")
    channel_id: strawberry.ID | None = strawberry.field(description="The channel, if known.")
    question_id: strawberry.ID = strawberry.field(description="The main question answered.")
    value: int | None = strawberry.field(description="The main answer.")
    band: FeedbackBand | None = strawberry.field(description="The answer's band on its scale.")
    drivers: list[str] = strawberry.field(description="Drivers chosen in the follow-up.")
    text: str | None = strawberry.field(description="The free text (identifiers scrubbed at ingest); null when "
                                                    "none was written or its key was destroyed.")
    readable: bool = strawberry.field(description="False when a free text exists but can no longer be decrypted.")
    answered_at: dt.datetime = strawberry.field(description="When the answer was given.")
    locale: str | None = strawberry.field(description="The respondent's language.")
    status: FeedbackStatus = strawberry.field(description="Where its handling stands.")  # type: ignore[valid-type]
    handler: str | None = strawberry.field(description="Who handles it (a name or handle), if assigned.")
    notes: list[FeedbackNote] = strawberry.field(description="Internal notes, oldest first (at most 50).")
    themes: list[FeedbackItemTheme] = strawberry.field(description="The feedback themes its free text mentions "
                                                                   "(found when read; none without a text).")

    @classmethod
    def of(cls, item: InboxItem, labels: dict[str, str] | None = None, locale: Locale = Locale.FI) -> FeedbackItem:
        """The GraphQL view of an inbox item (its themes labelled with ``labels``, the organisation's own)."""
        band = next((level for level in Level if level.value is item.band), None)
        return cls(id=strawberry.ID(str(item.rating_id)), cursor=item.cursor,
                   service_id=strawberry.ID(item.service_id),
                   channel_id=strawberry.ID(item.channel_id) if item.channel_id else None,
                   question_id=strawberry.ID(item.question_id), value=item.value, band=_band(band),
                   drivers=list(item.drivers), text=item.text, readable=item.readable, answered_at=item.answered_at,
                   locale=item.locale, status=item.status, handler=item.handler,
                   notes=[FeedbackNote.of(n) for n in item.notes],
                   themes=[FeedbackItemTheme(key=strawberry.ID(k), label=label_of(k, locale.value, labels or {}))
                           for k in item.themes])


@strawberry.type(description="A page of the feedback inbox, newest first.")
class FeedbackPage:
    items: list[FeedbackItem] = strawberry.field(description="The items of this page.")
    end_cursor: str | None = strawberry.field(description="The last item's cursor (for `after`).")
    has_more: bool = strawberry.field(description="Whether more items follow.")


@strawberry.type(description="The handling of a feedback item after a change.")
class FeedbackHandling:
    id: strawberry.ID = strawberry.field(description="The item's id.")
    status: FeedbackStatus = strawberry.field(description="Its status.")  # type: ignore[valid-type]
    handler: str | None = strawberry.field(description="Its handler, if assigned.")

    @classmethod
    def of(cls, state: FeedbackState) -> FeedbackHandling:
        """The GraphQL view of a handling state."""
        return cls(id=strawberry.ID(str(state.rating_id)), status=Status(state.status), handler=state.handler)


@strawberry.type(description="A public reply of your organisation, shown on the receipt pages it reaches.")
class FeedbackReply:
    id: strawberry.ID = strawberry.field(description="The reply's id (to withdraw it).")
    service_id: strawberry.ID = strawberry.field(description="The service.")
    feedback_id: strawberry.ID | None = strawberry.field(description="The item replied to; null for a group.")
    driver: str | None = strawberry.field(description="The group's driver; null for an item or a theme group.")
    theme: strawberry.ID | None = strawberry.field(description="The group's feedback theme; null for an item or a "
                                                               "driver group.")
    band: FeedbackBand | None = strawberry.field(description="The group's band, if it was limited to one.")
    group_from: dt.date | None = strawberry.field(name="from", description="The group's first local day.")
    group_to: dt.date | None = strawberry.field(name="to", description="The group's last local day.")
    answer_count: int = strawberry.field(description="How many answers it speaks to (counted when published).")
    text: str = strawberry.field(description="The reply, plain text.")
    language: Locale = strawberry.field(description="Its language.")
    event_id: strawberry.ID | None = strawberry.field(description="The public service change it links, if any.")
    published_at: dt.datetime = strawberry.field(description="When it was published.")
    withdrawn_at: dt.datetime | None = strawberry.field(description="When it was withdrawn, if it was.")

    @classmethod
    def of(cls, row: ReplyRow) -> FeedbackReply:
        """The GraphQL view of a stored reply."""
        return cls(id=strawberry.ID(str(row.id)), service_id=strawberry.ID(row.service_id),
                   feedback_id=strawberry.ID(str(row.rating_id)) if row.rating_id else None, driver=row.driver,
                   theme=strawberry.ID(row.theme) if row.theme else None,
                   band=FeedbackBand[row.band] if row.band else None, group_from=row.group_from,
                   group_to=row.group_to, answer_count=row.answer_count, text=row.text,
                   language=Locale(row.language), event_id=strawberry.ID(str(row.event_id)) if row.event_id else None,
                   published_at=row.published_at, withdrawn_at=row.withdrawn_at)


@strawberry.input(description="Which feedback to show; every field is optional.")
class FeedbackFilter:
    service_id: strawberry.ID | None = strawberry.field(default=None, description="One of your services.")
    channel_id: strawberry.ID | None = strawberry.field(default=None, description="One channel.")
    band: FeedbackBand | None = strawberry.field(default=None, description="One band of the answers.")
    driver: str | None = strawberry.field(default=None, description="Answers that chose this driver.")
    answered_from: dt.datetime | None = strawberry.field(name="from", default=None,
                                                         description="Answered at or after (inclusive).")
    answered_to: dt.datetime | None = strawberry.field(name="to", default=None,
                                                       description="Answered before (exclusive).")
    status: FeedbackStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Items in this status.")
    theme: strawberry.ID | None = strawberry.field(
        default=None, description="Items whose free text mentions this feedback theme (a key of "
                                  "feedbackThemeSettings; your merges applied). Themes are found when texts are "
                                  f"decrypted: a filtered page scans at most {inbox.MAX_SCAN} texts, so it may hold "
                                  "fewer than `first` items (even none) while hasMore: page on with endCursor. "
                                  "UNKNOWN_THEME for another key.")

    def domain(self) -> InboxFilter:
        """The domain filter."""
        return InboxFilter(service_id=normalise_guid(self.service_id, "Service") if self.service_id else None,
                           channel_id=normalise_guid(self.channel_id, "Channel") if self.channel_id else None,
                           level=Level[self.band.name] if self.band else None, driver=self.driver,
                           start=self.answered_from, end=self.answered_to, status=self.status,
                           theme=str(self.theme) if self.theme is not None else None)


@strawberry.input(description="The answers a group reply speaks to: one service's answers with one driver, or "
                              "whose free text mentions one feedback theme (give exactly one of driver and "
                              "theme), optionally in one band, on local days from…to (at most 366 days).")
class FeedbackGroupInput:
    service_id: strawberry.ID = strawberry.field(description="One of your services.")
    driver: str | None = strawberry.field(default=None, description="The driver code, e.g. efficiency.")
    theme: strawberry.ID | None = strawberry.field(
        default=None, description="A feedback theme key (your merges applied), e.g. queueing; the answer count is "
                                  "found by matching the period's free texts (at most 20 000, else "
                                  "TOO_MANY_TEXTS). UNKNOWN_THEME for another key.")
    group_from: dt.date = strawberry.field(name="from", description="First local day (inclusive).")
    group_to: dt.date = strawberry.field(name="to", description="Last local day (inclusive), today at the latest.")
    band: FeedbackBand | None = strawberry.field(default=None, description="Only answers in this band.")


@strawberry.input(description="A public reply: give exactly one of feedbackId and group.")
class PublishFeedbackReplyInput:
    text: str = strawberry.field(description=f"The reply, plain text, 1-{replies.MAX_REPLY} characters.")
    language: Locale = strawberry.field(description="The language it is written in.")
    feedback_id: strawberry.ID | None = strawberry.field(default=None, description="Reply to this one item.")
    group: FeedbackGroupInput | None = strawberry.field(default=None, description="Reply to a group of answers.")
    event_id: strawberry.ID | None = strawberry.field(default=None, description="A public service change of the "
                                                      "same service the reply links to.")


ItemId = Annotated[strawberry.ID, strawberry.argument(description="The feedback item's id (from feedbackInbox).")]


def _organisation(ctx: Context) -> tuple[str, str]:
    """The calling organisation's business ID and the actor recorded in the audit trail."""
    organisation = ctx.require_organisation()
    return organisation, ctx.require(Role.ORGANISATION).actor


@strawberry.type
class FeedbackInboxQuery:
    @strawberry.field(description="Your services' feedback (follow-ups with drivers or free text), newest first, "
                                  f"decrypted, in pages of 1-{inbox.MAX_PAGE} (ORGANISATION; every read is "
                                  "audited). Each item lists its feedback themes; with filter.theme a page scans "
                                  f"at most {inbox.MAX_SCAN} texts, so it may hold fewer than `first` items "
                                  "while hasMore.")
    def feedback_inbox(
        self, info: Info[Context, None],
        filter: Annotated[FeedbackFilter | None, strawberry.argument(description="What to show.")] = None,
        first: Annotated[int, strawberry.argument(description=f"Page size, 1-{inbox.MAX_PAGE}.")] = 25,
        after: Annotated[str | None, strawberry.argument(description="The endCursor of the page read.")] = None,
        locale: Annotated[Locale, strawberry.argument(description="The language of the items' theme labels.")]
        = Locale.FI,
    ) -> FeedbackPage:
        ctx = info.context
        organisation, actor = _organisation(ctx)
        flt = (filter or FeedbackFilter()).domain()
        page = inbox.read_inbox(ctx.session, organisation, runtime(ctx.services).ring, flt, first=first,
                                after=after, theming=theming_of(ctx.session, organisation, theme_matcher()))
        with ctx.write_transaction() as audit:  # the request's read session is rolled back; the audit must stay
            inbox.record_inbox_read(audit, organisation_id=organisation, actor=actor, now=ctx.now,
                                    count=len(page.items), flt=flt, scanned=page.scanned)
        labels = own_themes(ctx.session, organisation).labels
        items = [FeedbackItem.of(item, labels, locale) for item in page.items]
        return FeedbackPage(items=items, end_cursor=page.end_cursor, has_more=page.has_more)

    @strawberry.field(description="Your organisation's public replies, newest first (the latest 200; ORGANISATION; "
                                  "every read is audited).")
    def feedback_replies(
        self, info: Info[Context, None],
        service_id: Annotated[strawberry.ID | None, strawberry.argument(description="One service only.")] = None,
        include_withdrawn: Annotated[bool, strawberry.argument(description="Also withdrawn replies.")] = False,
    ) -> list[FeedbackReply]:
        ctx = info.context
        organisation, actor = _organisation(ctx)
        service = normalise_guid(service_id, "Service") if service_id else None
        rows = replies.replies_of(ctx.session, organisation, service_id=service, include_withdrawn=include_withdrawn)
        with ctx.write_transaction() as audit:
            replies.record_replies_read(audit, organisation_id=organisation, actor=actor, now=ctx.now,
                                        count=len(rows), service_id=service)
        return [FeedbackReply.of(row) for row in rows]


@strawberry.type
class FeedbackInboxMutation:
    @strawberry.mutation(description="Move a feedback item to another status (ORGANISATION; audited). "
                                     "INVALID_STATUS_TRANSITION when the move is not allowed.")
    def set_feedback_status(self, info: Info[Context, None], id: ItemId,
                            status: Annotated[FeedbackStatus, strawberry.argument(  # type: ignore[valid-type]
                                description="The status to move to.")]) -> FeedbackHandling:
        ctx = info.context
        organisation, actor = _organisation(ctx)
        return FeedbackHandling.of(workflow.set_status(ctx.session, organisation_id=organisation, rating_id=_id(id),
                                                       status=status, actor=actor, now=ctx.now))

    @strawberry.mutation(description="Name who handles a feedback item: a short name or handle (no e-mail "
                                     "address), or null to unassign (ORGANISATION; audited without the name).")
    def assign_feedback(self, info: Info[Context, None], id: ItemId,
                        handler: Annotated[str | None, strawberry.argument(
                            description="A short name or handle (≤ 40 characters); null unassigns.")] = None,
                        ) -> FeedbackHandling:
        ctx = info.context
        organisation, actor = _organisation(ctx)
        return FeedbackHandling.of(workflow.assign(ctx.session, organisation_id=organisation, rating_id=_id(id),
                                                   handler=handler, actor=actor, now=ctx.now))

    @strawberry.mutation(description="Add an internal note to a feedback item (ORGANISATION; sealed at rest, "
                                     "audited without its text).")
    def add_feedback_note(self, info: Info[Context, None], id: ItemId,
                          text: Annotated[str, strawberry.argument(description="The note, plain text, 1-1000 "
                                                                               "characters.")]) -> FeedbackNote:
        ctx = info.context
        organisation, actor = _organisation(ctx)
        return FeedbackNote.of(workflow.note(ctx.session, runtime(ctx.services).ring, organisation_id=organisation,
                                             rating_id=_id(id), text=text, actor=actor, now=ctx.now))

    @strawberry.mutation(description="Publish a public reply to one feedback item (it becomes ANSWERED) or to a "
                                     "group of answers (its count is computed). Citizens read it at /r/<code> "
                                     "(ORGANISATION; audited).")
    def publish_feedback_reply(self, info: Info[Context, None], input: PublishFeedbackReplyInput) -> FeedbackReply:
        ctx = info.context
        organisation, actor = _organisation(ctx)
        if (input.feedback_id is None) == (input.group is None):
            raise DomainError(FeedbackCode.INVALID_REPLY, "give exactly one of feedbackId (one item) and group "
                                                          "(a driver or theme of a service over a period).")
        text = replies.ReplyText(input.text, input.language.value,
                                 _id(input.event_id, FeedbackCode.EVENT_NOT_OF_SERVICE) if input.event_id else None)
        if input.feedback_id is not None:
            row = replies.reply_to_item(ctx.session, organisation_id=organisation, rating_id=_id(input.feedback_id),
                                        reply=text, actor=actor, now=ctx.now)
            return FeedbackReply.of(row)
        group = input.group
        assert group is not None
        scope = replies.GroupScope(normalise_guid(group.service_id, "Service"), group.driver, group.group_from,
                                   group.group_to, Level[group.band.name] if group.band else None,
                                   theme=str(group.theme) if group.theme is not None else None)
        texts = replies.GroupTexts(runtime(ctx.services).ring, theming_of(ctx.session, organisation, theme_matcher()))
        row = replies.reply_to_group(ctx.session, organisation_id=organisation, scope=scope, reply=text, actor=actor,
                                     now=ctx.now, today=ctx.now.astimezone(LOCAL_TIME_ZONE).date(), texts=texts)
        return FeedbackReply.of(row)

    @strawberry.mutation(description="Withdraw one of your public replies: receipt pages no longer show it "
                                     "(ORGANISATION; audited).")
    def withdraw_feedback_reply(self, info: Info[Context, None], id: Annotated[strawberry.ID, strawberry.argument(
                                    description="The reply's id (from feedbackReplies).")]) -> FeedbackReply:
        ctx = info.context
        organisation, actor = _organisation(ctx)
        return FeedbackReply.of(replies.withdraw(ctx.session, organisation_id=organisation,
                                                 reply_id=_id(id, FeedbackCode.UNKNOWN_REPLY), actor=actor,
                                                 now=ctx.now))
