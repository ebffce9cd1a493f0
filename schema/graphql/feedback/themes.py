"""GraphQL of feedback themes: what an organisation's free texts are about, and its own names and merges of themes.

The figures come from ``federation/feedback/service.py`` (texts decrypted for the organisation that owns them,
only counts kept; every read audited like ``freeTexts``). The organisation-facing rule of the rest of the API
applies: the owner sees its own figures also below the publication threshold, each flagged ``published: false``
(as scores and drivers are, schema/graphql/ratings/drivers.py); candidate words need the threshold of distinct
texts before they are listed at all.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from federation.audit.log import record
from federation.auth.models import Role
from federation.battery.followups import Band
from federation.feedback import service as themes
from federation.feedback.language import finnish_analyser, theme_matcher
from federation.feedback.themes import ThemeCount, label_of
from federation.feedback.vocabulary import SEED_THEMES
from federation.registry.service import normalise_guid
from federation.scores.reading import Window
from schema.graphql.arguments import ServiceFilter, WindowFrom, WindowTo
from schema.graphql.context import Context
from schema.graphql.locale import Locale
from schema.graphql.ratings.widget import BandEnum, runtime

DEFAULT_DAYS = 90


@strawberry.type(description="One theme of your free texts over the window (merged themes folded in).")
class FeedbackTheme:
    key: strawberry.ID = strawberry.field(description="The theme's stable key (a seed theme).")
    label: str = strawberry.field(description="Your own label, else the seed label in the locale asked for.")
    merged_keys: list[strawberry.ID] = strawberry.field(description="Themes you merged into this one.")
    count: int = strawberry.field(description="Texts that mention the theme (a text counts once).")
    share: float | None = strawberry.field(description="count / all texts of the window, 0-1; null without texts.")
    low_rated_count: int = strawberry.field(description="Texts of low answers (NEGATIVE band) that mention it.")
    low_rated_share: float | None = strawberry.field(description="lowRatedCount / all low-rated texts, 0-1; null "
                                                                 "without low-rated texts.")
    published: bool = strawberry.field(description="Whether count reaches the publication threshold; smaller "
                                                   "counts are shown to you only and are too few to read shares "
                                                   "from.")


@strawberry.type(description="A frequent word of your texts outside every theme: a possible new theme.")
class CandidateTheme:
    word: str = strawberry.field(description="The word (Finnish: its base form; Swedish, English: as written).")
    count: int = strawberry.field(description="Texts that contain it (at least the publication threshold).")


@strawberry.type(description="What your citizens' free texts are about: themes found by lemmatised keywords "
                             "(Finnish with Voikko, Swedish and English with Snowball stems).")
class FeedbackThemeReport:
    texts: int = strawberry.field(description="Free texts read in the window (unreadable ones left out).")
    themed_texts: int = strawberry.field(description="Texts counted: of the band asked for, or all.")
    low_rated_texts: int = strawberry.field(description="Counted texts of low answers (NEGATIVE band).")
    published: bool = strawberry.field(description="Whether themedTexts reaches the publication threshold.")
    threshold: int = strawberry.field(description="The publication threshold applied.")
    finnish_analysis: str = strawberry.field(description="voikko, or snowball where Voikko is not installed.")
    themes: list[FeedbackTheme] = strawberry.field(description="Every theme, most mentioned first.")
    candidates: list[CandidateTheme] = strawberry.field(description="Frequent words outside every theme.")


@strawberry.type(description="How you show one seed theme.")
class FeedbackThemeSetting:
    key: strawberry.ID = strawberry.field(description="The seed theme's key.")
    label: str = strawberry.field(description="Your own label, else the seed label in the locale asked for.")
    seed_label: str = strawberry.field(description="The seed label in the locale asked for.")
    own_label: bool = strawberry.field(description="Whether label is your own.")
    merged_into: strawberry.ID | None = strawberry.field(description="The theme this one counts under, if merged.")


def _settings(ctx: Context, organisation: str, locale: Locale) -> list[FeedbackThemeSetting]:
    own = themes.own_themes(ctx.session, organisation)
    return [FeedbackThemeSetting(key=strawberry.ID(t.key), label=label_of(t.key, locale.value, own.labels),
                                 seed_label=label_of(t.key, locale.value, {}), own_label=t.key in own.labels,
                                 merged_into=strawberry.ID(own.merged[t.key]) if t.key in own.merged else None)
            for t in SEED_THEMES]


def _theme(count: ThemeCount, labels: dict[str, str], merged: dict[str, str], locale: Locale) -> FeedbackTheme:
    return FeedbackTheme(key=strawberry.ID(count.key), label=label_of(count.key, locale.value, labels),
                         merged_keys=[strawberry.ID(k) for k, into in sorted(merged.items()) if into == count.key],
                         count=count.count, share=count.share, low_rated_count=count.low_count,
                         low_rated_share=count.low_share, published=count.published)


_Locale = Annotated[Locale, strawberry.argument(description="The language of the seed labels.")]
_Key = Annotated[strawberry.ID, strawberry.argument(description="A seed theme key (see feedbackThemeSettings).")]


@strawberry.type
class FeedbackThemesQuery:
    @strawberry.field(description="Themes of your organisation's free texts over a window (ORGANISATION only; the "
                                  "read is audited): per theme the texts mentioning it, their share of all texts "
                                  "and of low-rated texts. Default window: the last 90 days.")
    def feedback_themes(
        self, info: Info[Context, None],
        service_id: ServiceFilter = None, window_from: WindowFrom = None, window_to: WindowTo = None,
        last_days: Annotated[int | None, strawberry.argument(description="The last N days instead of from/to.")]
        = None,
        band: Annotated[BandEnum | None, strawberry.argument(  # type: ignore[valid-type]
            description="Only texts of answers in this band.")] = None,
        locale: _Locale = Locale.FI,
    ) -> FeedbackThemeReport:
        ctx = info.context
        organisation = ctx.require_organisation()
        days = last_days if last_days is not None or window_from or window_to else DEFAULT_DAYS
        window = Window.resolve(now=ctx.now, start=window_from, end=window_to, last_days=days)
        service = normalise_guid(service_id, "Service") if service_id else None
        matcher = theme_matcher()
        threshold = ctx.settings.publication_threshold
        read = themes.read_theme_summary(ctx.session, organisation, runtime(ctx.services).ring, matcher,
                                         start=window.start, end=window.end, threshold=threshold,
                                         service_id=service, band=band if isinstance(band, Band) else None)
        with ctx.write_transaction() as audit:  # the request's read session is rolled back; the audit must stay
            record(audit, actor=ctx.require(Role.ORGANISATION).actor, action="feedback_theme.read",
                   subject=organisation, now=ctx.now, count=read.texts_read, service=service)
        own, summary = themes.own_themes(ctx.session, organisation), read.summary
        return FeedbackThemeReport(
            texts=read.texts_read, themed_texts=summary.texts, low_rated_texts=summary.low_texts,
            published=summary.published, threshold=threshold, finnish_analysis=finnish_analyser(matcher),
            themes=[_theme(t, own.labels, own.merged, locale) for t in summary.themes],
            candidates=[CandidateTheme(word=w, count=n) for w, n in summary.candidates])

    @strawberry.field(description="Every seed theme as your organisation shows it: label and merge (ORGANISATION).")
    def feedback_theme_settings(self, info: Info[Context, None], locale: _Locale = Locale.FI
                                ) -> list[FeedbackThemeSetting]:
        ctx = info.context
        return _settings(ctx, ctx.require_organisation(), locale)


@strawberry.type
class FeedbackThemesMutation:
    @strawberry.mutation(description="Give a theme your own label, shown in every language (ORGANISATION; "
                                      "audited). Errors: UNKNOWN_THEME, INVALID_THEME_LABEL.")
    def rename_feedback_theme(
        self, info: Info[Context, None], key: _Key,
        label: Annotated[str, strawberry.argument(description=f"1-{themes.MAX_LABEL} characters, plain text.")],
        locale: _Locale = Locale.FI,
    ) -> list[FeedbackThemeSetting]:
        ctx = info.context
        organisation = ctx.require_organisation()
        themes.rename_theme(ctx.session, organisation, str(key), label, actor=ctx.require(Role.ORGANISATION).actor,
                            now=ctx.now)
        ctx.session.flush()
        return _settings(ctx, organisation, locale)

    @strawberry.mutation(description="Count a theme under another one (ORGANISATION; audited); themes merged into "
                                      "it move along. Errors: UNKNOWN_THEME, THEME_MERGE_INTO_ITSELF, THEME_MERGED.")
    def merge_feedback_themes(
        self, info: Info[Context, None], key: _Key,
        into: Annotated[strawberry.ID, strawberry.argument(description="The theme to count it under.")],
        locale: _Locale = Locale.FI,
    ) -> list[FeedbackThemeSetting]:
        ctx = info.context
        organisation = ctx.require_organisation()
        themes.merge_theme(ctx.session, organisation, str(key), str(into),
                           actor=ctx.require(Role.ORGANISATION).actor, now=ctx.now)
        ctx.session.flush()
        return _settings(ctx, organisation, locale)

    @strawberry.mutation(description="Drop your label and merge of a theme (ORGANISATION; audited). Errors: "
                                      "UNKNOWN_THEME.")
    def reset_feedback_theme(self, info: Info[Context, None], key: _Key,
                             locale: _Locale = Locale.FI) -> list[FeedbackThemeSetting]:
        ctx = info.context
        organisation = ctx.require_organisation()
        themes.reset_theme(ctx.session, organisation, str(key), actor=ctx.require(Role.ORGANISATION).actor,
                           now=ctx.now)
        ctx.session.flush()
        return _settings(ctx, organisation, locale)
