"""GraphQL of page feedback ("Was this page useful?" on an organisation's own pages; federation/pages/).

ORGANISATION tokens register, list and retire their pages, read figures per page and per service and the
"what was missing" texts (audited). ``publicPageScore`` is the anonymous per-service figure over the public
window, pooled over every organisation's pages of the service, shown only from the publication threshold.
Citizens answer through ``POST /pages/answer`` and ``POST /pages/follow-up`` (schema/http/pages.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from federation.errors import DomainError, RequestCode
from federation.pages import registration, scores, texts
from federation.pages.models import Page
from federation.pages.registration import PageDraft, check_service_id, parse_page_id
from federation.scores.reading import Window
from schema.graphql.analytics.queries import FromArg, LastDaysArg, ToArg
from schema.graphql.context import Context
from schema.graphql.ratings.widget import runtime
from schema.graphql.scores import Interval, public_window

MAX_LIST = 500


@strawberry.type(name="Page", description="A page of your organisation's site that asks \"Was this page useful?\".")
class PageInfo:
    id: strawberry.ID = strawberry.field(description="The page's id (for retirePages and pageTexts).")
    url: str = strawberry.field(description="Its address in normal form: lower-case host, no fragment, no default "
                                            "port, the query string only when keepQuery.")
    keep_query: bool = strawberry.field(description="Whether the query string is part of the page's address.")
    service_id: strawberry.ID | None = strawberry.field(description="The service it belongs to, if any.")
    title: str | None = strawberry.field(description="Its title, as registered.")
    created_at: dt.datetime = strawberry.field(description="When it was first registered.")
    updated_at: dt.datetime = strawberry.field(description="When it was last registered or retired.")
    retired_at: dt.datetime | None = strawberry.field(description="When it was retired (answers are then "
                                                                  "refused); null while active.")

    @classmethod
    def of(cls, row: Page) -> PageInfo:
        """The API view of a stored page."""
        return cls(id=strawberry.ID(str(row.id)), url=row.url, keep_query=row.keep_query,
                   service_id=strawberry.ID(row.service_id) if row.service_id else None, title=row.title,
                   created_at=row.created_at, updated_at=row.updated_at, retired_at=row.retired_at)


@strawberry.type(description="\"Was this page useful?\" over a window: answers, and the yes share with its 95 % "
                             "Wilson interval once the answers reach the publication threshold.")
class PageUsefulness:
    answers: int = strawberry.field(description="How many answered yes or no.")
    published: bool = strawberry.field(description="Whether the answers reach the publication threshold (the "
                                                   "share and interval are null until they do).")
    yes_share: float | None = strawberry.field(description="The share that answered yes (0–1).")
    yes_share_interval: Interval | None = strawberry.field(description="Its 95 % Wilson interval.")

    @classmethod
    def of(cls, figure: scores.PageFigure) -> PageUsefulness:
        """The API view of a page figure."""
        return cls(answers=figure.answers, published=figure.published, yes_share=figure.yes_share,
                   yes_share_interval=Interval.from_stats(figure.interval))


@strawberry.type(description="One page and its usefulness over the window asked for.")
class PageScore:
    page: PageInfo = strawberry.field(description="The page.")
    usefulness: PageUsefulness = strawberry.field(description="Its answers over the window.")


@strawberry.type(description="A service's usefulness pooled over the pages registered to it.")
class PageServiceScore:
    service_id: strawberry.ID = strawberry.field(description="The service.")
    usefulness: PageUsefulness = strawberry.field(description="Its pages' answers over the window, pooled.")
    window_start: dt.datetime = strawberry.field(description="Window start (inclusive).")
    window_end: dt.datetime = strawberry.field(description="Window end (exclusive).")


@strawberry.type(description="One \"what was missing\" text written after a no (scrubbed of identifiers).")
class PageText:
    id: strawberry.ID = strawberry.field(description="The answer's id (page on with `after`).")
    page_id: strawberry.ID = strawberry.field(description="The page it was written on.")
    url: str = strawberry.field(description="The page's address.")
    service_id: strawberry.ID | None = strawberry.field(description="The page's service, if any.")
    text: str | None = strawberry.field(description="The text; null when its key was destroyed.")
    readable: bool = strawberry.field(description="Whether the text could be opened.")
    answered_at: dt.datetime = strawberry.field(description="When the answer was given.")
    locale: str | None = strawberry.field(description="The snippet's language (fi, sv or en).")


@strawberry.input(description="A page to register (or to update: the same address registered again).")
class PageInput:
    url: str = strawberry.field(description="The page's full address, http(s), at most 2000 characters, no "
                                            "credentials; fragment and (unless keepQuery) query are dropped.")
    service_id: strawberry.ID | None = strawberry.field(default=None, description="A service your organisation "
                                                                                  "provides, if the page is "
                                                                                  "about one.")
    title: str | None = strawberry.field(default=None, description="A title for your lists, at most 300 "
                                                                   "characters.")
    keep_query: bool = strawberry.field(default=False, description="Keep the query string as part of the "
                                                                   "address (pages told apart by it).")


def _size(first: int, most: int) -> int:
    if not 1 <= first <= most:
        raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1 to {most}; page on with `after`.")
    return first


def _after(after: strawberry.ID | None) -> int | None:
    return None if after is None else parse_page_id(str(after))


def _window(ctx: Context, start: dt.datetime | None, end: dt.datetime | None, last_days: int | None) -> Window:
    return Window.resolve(now=ctx.now, start=start, end=end, last_days=last_days)


def _service(raw: strawberry.ID | None) -> str | None:
    return None if raw is None else check_service_id(str(raw), "serviceId")


First = Annotated[int, strawberry.argument(description=f"How many (1–{MAX_LIST}).")]
After = Annotated[strawberry.ID | None, strawberry.argument(description="The last id of the previous page of "
                                                                        "results.")]
ServiceArg = Annotated[strawberry.ID | None, strawberry.argument(description="Only pages of this service.")]


def _threshold(ctx: Context) -> int:
    return ctx.settings.publication_threshold


@strawberry.type
class PagesQuery:
    @strawberry.field(description="Your organisation's registered pages, oldest first (ORGANISATION).")
    def pages(self, info: Info[Context, None], include_retired: Annotated[bool, strawberry.argument(
                  description="Include retired pages.")] = False,
              service_id: ServiceArg = None, first: First = 100, after: After = None) -> list[PageInfo]:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        rows = registration.list_pages(ctx.session, organisation_id, include_retired=include_retired,
                                       service_id=_service(service_id), first=_size(first, MAX_LIST),
                                       after=_after(after))
        return [PageInfo.of(row) for row in rows]

    @strawberry.field(description="Usefulness of each of your pages over a window (default: the last 365 days), "
                                  "retired pages included (ORGANISATION).")
    def page_scores(self, info: Info[Context, None], window_from: FromArg = None, window_to: ToArg = None,
                    last_days: LastDaysArg = None, service_id: ServiceArg = None, first: First = 100,
                    after: After = None) -> list[PageScore]:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        window = _window(ctx, window_from, window_to, last_days)
        rows = registration.list_pages(ctx.session, organisation_id, include_retired=True,
                                       service_id=_service(service_id), first=_size(first, MAX_LIST),
                                       after=_after(after))
        counts = scores.page_counts(ctx.session, [row.id for row in rows], window)
        return [PageScore(page=PageInfo.of(row), usefulness=PageUsefulness.of(scores.figure(
            *counts.get(row.id, (0, 0)), publication_threshold=_threshold(ctx)))) for row in rows]

    @strawberry.field(description="Usefulness per service, pooled over your pages of each service (ORGANISATION).")
    def page_service_scores(self, info: Info[Context, None], window_from: FromArg = None, window_to: ToArg = None,
                            last_days: LastDaysArg = None) -> list[PageServiceScore]:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        window = _window(ctx, window_from, window_to, last_days)
        services = sorted({str(s) for s in ctx.session.scalars(select(Page.service_id).where(
            Page.organisation_id == organisation_id, Page.service_id.is_not(None)))})
        counts = scores.service_counts(ctx.session, window, organisation_id=organisation_id)
        return [_service_score(s, counts.get(s, (0, 0)), window, _threshold(ctx)) for s in services]

    @strawberry.field(description="The \"what was missing\" texts of your pages, oldest first, decrypted; every "
                                  "read is audited (ORGANISATION).")
    def page_texts(self, info: Info[Context, None], window_from: FromArg = None, window_to: ToArg = None,
                   last_days: LastDaysArg = None, page_id: Annotated[strawberry.ID | None, strawberry.argument(
                       description="Only this page.")] = None, service_id: ServiceArg = None,
                   first: Annotated[int, strawberry.argument(description="How many (1–100).")] = 50,
                   after: After = None) -> list[PageText]:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        assert ctx.principal is not None
        rows = texts.read_page_texts(ctx.session, organisation_id, runtime(ctx.services).ring,
                                     window=_window(ctx, window_from, window_to, last_days),
                                     first=_size(first, texts.MAX_TEXTS), after=_after(after),
                                     page_id=None if page_id is None else parse_page_id(str(page_id)),
                                     service_id=_service(service_id))
        with ctx.write_transaction() as session:
            texts.record_page_text_read(session, organisation_id=organisation_id, actor=ctx.principal.actor,
                                        now=ctx.now, count=len(rows))
        return [PageText(id=strawberry.ID(str(r.answer_id)), page_id=strawberry.ID(str(r.page_id)), url=r.url,
                         service_id=strawberry.ID(r.service_id) if r.service_id else None, text=r.text,
                         readable=r.readable, answered_at=r.answered_at, locale=r.locale) for r in rows]

    @strawberry.field(description="A service's \"Was this page useful?\" figure over the public window (the last "
                                  "365 days), pooled over every organisation's pages of the service; the share only "
                                  "from the publication threshold. No token needed.")
    def public_page_score(self, info: Info[Context, None], service_id: Annotated[strawberry.ID, strawberry.argument(
                              description="The PTV service id.")]) -> PageServiceScore:
        ctx = info.context
        service = check_service_id(str(service_id), "serviceId")
        window = public_window(ctx.now)
        counts = scores.service_counts(ctx.session, window, service_ids=[service])
        return _service_score(service, counts.get(service, (0, 0)), window, _threshold(ctx))


def _service_score(service_id: str, counts: tuple[int, int], window: Window, threshold: int) -> PageServiceScore:
    figure = scores.figure(*counts, publication_threshold=threshold)
    return PageServiceScore(service_id=strawberry.ID(service_id), usefulness=PageUsefulness.of(figure),
                            window_start=window.start, window_end=window.end)


@strawberry.type
class PagesMutation:
    @strawberry.mutation(description="Register pages of your organisation's site for \"Was this page useful?\" "
                                     "(1–100 at a time; ORGANISATION). The same address again updates its service "
                                     "and title and brings a retired page back. Audited.")
    def register_pages(self, info: Info[Context, None], pages: Annotated[list[PageInput], strawberry.argument(
                           description="The pages.")]) -> list[PageInfo]:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        assert ctx.principal is not None
        drafts = [PageDraft(p.url, None if p.service_id is None else str(p.service_id), p.title, p.keep_query)
                  for p in pages]
        rows = registration.register_pages(ctx.session, organisation_id, drafts, actor=ctx.principal.actor,
                                           now=ctx.now)
        return [PageInfo.of(row) for row in rows]

    @strawberry.mutation(description="Retire pages of your organisation (1–100 at a time; ORGANISATION): their "
                                     "answers are refused from now on, their figures stay. Idempotent; audited.")
    def retire_pages(self, info: Info[Context, None], ids: Annotated[list[strawberry.ID], strawberry.argument(
                         description="The pages' ids (from `pages { id }`).")]) -> list[PageInfo]:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        assert ctx.principal is not None
        rows = registration.retire_pages(ctx.session, organisation_id, [parse_page_id(str(i)) for i in ids],
                                         actor=ctx.principal.actor, now=ctx.now)
        return [PageInfo.of(row) for row in rows]
