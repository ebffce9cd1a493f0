"""The THEME_SURGE alert kind: a feedback theme's share of the organisation's free texts of the last
:data:`RECENT_DAYS` local days is well above its share in the :data:`BASELINE_DAYS` days before them.

The rule, evaluated for each local day ``d`` from ``scan.since`` to today (the recent window is days d-6…d, the
baseline d-34…d-7, both by answer time in Europe/Helsinki):

- at least :data:`MIN_RECENT` recent texts mention the theme, and the baseline holds at least
  :data:`MIN_BASELINE` texts (a new organisation or service has no baseline to surge from);
- the recent share is higher, and a one-sided two-proportion z-test (pooled standard error,
  federation/analytics/significance.py) gives p < :data:`ALPHA` (0.01).

A text counts once per theme (the organisation's merges applied, federation/feedback/theming.py). The texts are
the organisation's own (as ``feedbackThemes`` reads them), decrypted in the process with the scan's key ring and
matched; only counts leave it. A surge is reported once per theme and ISO week (key ``<theme>:<year>-W<week>``,
on the first day of the week the rule holds), named after the service with most of the theme's recent texts. An
organisation with more than ``MAX_THEMED_TEXTS`` texts in the 35 days is not evaluated (a warning is logged).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from federation.analytics.significance import two_proportion_z
from federation.feedback.language import theme_matcher
from federation.feedback.service import MAX_THEMED_TEXTS
from federation.feedback.themes import label_of
from federation.feedback.theming import Theming, theming_of
from federation.i18n import catalogs
from federation.i18n.markers import NP_
from federation.notify.kinds import AlertFinding, AlertKind, AlertScan
from federation.privacy.free_text import opened_text
from federation.ratings.models import Rating
from federation.volumes.days import day_bounds, local_date
from pseudonymize.keys import KeyRing

NAME = "THEME_SURGE"
RECENT_DAYS = 7
BASELINE_DAYS = 28
MIN_RECENT = 10
"""Fewest recent texts mentioning the theme for a surge."""
MIN_BASELINE = 10
"""Fewest baseline texts (any theme) to compare with."""
ALPHA = 0.01
log = logging.getLogger("arvio.notify")


@dataclass(frozen=True)
class _Text:
    day: dt.date
    service_id: str
    themes: frozenset[str]


@dataclass(frozen=True)
class Windows:
    """Texts and theme mentions of the recent and baseline windows."""

    recent: int
    baseline: int
    recent_themes: Counter[str]
    baseline_themes: Counter[str]


def detect(scan: AlertScan) -> Sequence[AlertFinding]:
    """Surges found on local days on or after ``scan.since`` (none without a key ring)."""
    if scan.ring is None:
        return []
    today = local_date(scan.now)
    texts = _texts(scan, scan.ring, today)
    if texts is None:
        return []
    found: dict[str, AlertFinding] = {}
    day = scan.since
    while day <= today:
        for finding in _surges(texts, day):
            found.setdefault(finding.key, finding)
        day += dt.timedelta(days=1)
    return sorted(found.values(), key=lambda f: (f.detected_on, f.key))


def _texts(scan: AlertScan, ring: KeyRing, today: dt.date) -> list[_Text] | None:
    start, _ = day_bounds(scan.since - dt.timedelta(days=RECENT_DAYS + BASELINE_DAYS - 1))
    stmt = (select(Rating).where(Rating.organisation_id == scan.organisation_id, Rating.free_text.is_not(None),
                                 Rating.service_id.in_(sorted(scan.service_ids)), Rating.answered_at >= start,
                                 Rating.answered_at <= scan.now)
            .limit(MAX_THEMED_TEXTS + 1))
    rows = list(scan.session.scalars(stmt))
    if len(rows) > MAX_THEMED_TEXTS:
        log.warning("THEME_SURGE not evaluated for organisation %s: more than %s free texts in %s days",
                    scan.organisation_id, MAX_THEMED_TEXTS, (today - scan.since).days + RECENT_DAYS + BASELINE_DAYS)
        return None
    theming: Theming = theming_of(scan.session, scan.organisation_id, theme_matcher())
    texts = []
    for row in rows:
        text = opened_text(row, ring)
        if text is not None:
            texts.append(_Text(local_date(row.answered_at), row.service_id, theming.keys(text, row.locale)))
    return texts


def windows(texts: Iterable[_Text], day: dt.date) -> Windows:
    """The recent window d-6…d and the baseline d-34…d-7 of ``day``."""
    recent_start = day - dt.timedelta(days=RECENT_DAYS - 1)
    baseline_start = recent_start - dt.timedelta(days=BASELINE_DAYS)
    recent, baseline = 0, 0
    recent_themes: Counter[str] = Counter()
    baseline_themes: Counter[str] = Counter()
    for text in texts:
        if recent_start <= text.day <= day:
            recent += 1
            recent_themes.update(text.themes)
        elif baseline_start <= text.day < recent_start:
            baseline += 1
            baseline_themes.update(text.themes)
    return Windows(recent, baseline, recent_themes, baseline_themes)


def surging(recent_count: int, recent: int, baseline_count: int, baseline: int) -> float | None:
    """The one-sided p-value when the rule holds for these counts, else None."""
    if recent_count < MIN_RECENT or baseline < MIN_BASELINE or recent_count * baseline <= baseline_count * recent:
        return None
    test = two_proportion_z(baseline_count, baseline, recent_count, recent)
    one_sided = test.p_value / 2
    return one_sided if test.statistic > 0 and one_sided < ALPHA else None


def _surges(texts: list[_Text], day: dt.date) -> list[AlertFinding]:
    counts = windows(texts, day)
    found = []
    for theme, recent_count in sorted(counts.recent_themes.items()):
        baseline_count = counts.baseline_themes[theme]
        p = surging(recent_count, counts.recent, baseline_count, counts.baseline)
        if p is None:
            continue
        year, week, _ = day.isocalendar()
        start = day - dt.timedelta(days=RECENT_DAYS - 1)
        services = Counter(t.service_id for t in texts if theme in t.themes and start <= t.day <= day)
        service_id = services.most_common(1)[0][0]
        found.append(AlertFinding(kind=NAME, key=f"{theme}:{year}-W{week:02d}", service_id=service_id,
                                  detected_on=day, facts={
                                      "theme": theme, "serviceId": service_id, "detectedOn": day.isoformat(),
                                      "recentCount": recent_count, "recentTexts": counts.recent,
                                      "recentShare": round(recent_count / counts.recent, 4),
                                      "baselineCount": baseline_count, "baselineTexts": counts.baseline,
                                      "baselineShare": round(baseline_count / counts.baseline, 4),
                                      "pValue": float(f"{p:.3g}")}))
    return found


_LINE = NP_("notification", "{service} and others: the theme \"{theme}\" surged: {recent:.0%} ({k1}/{n1}) of the "
                            "free texts of the last 7 days, {baseline:.0%} ({k0}/{n0}) in the 28 days before ({day})")
"""The line's ``(msgctxt, msgid)`` in the gettext catalogs (federation/i18n/locales/); Finnish where a locale lacks
it."""


def describe(finding: AlertFinding, locale: str, service_name: Callable[[str], str]) -> str:
    """One line in ``locale``: the theme (its seed label), both shares with their counts, and the day."""
    f = finding.facts
    return catalogs.pgettext(locale, *_LINE).format(
        service=service_name(finding.service_id), theme=label_of(str(f["theme"]), locale, {}),
        recent=float(str(f["recentShare"])), k1=f["recentCount"], n1=f["recentTexts"],
        baseline=float(str(f["baselineShare"])), k0=f["baselineCount"], n0=f["baselineTexts"],
        day=finding.detected_on.strftime("%d.%m.%Y"))


THEME_SURGE = AlertKind(NAME, "A feedback theme's share of the last 7 days' free texts is well above its share in "
                              "the 28 days before (≥ 10 texts, one-sided two-proportion z-test, p < 0.01).",
                        detect, describe)
