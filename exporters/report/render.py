"""The quarterly report as a printable A4 PDF, drawn with matplotlib's PDF backend (PdfPages; no system libraries).

Page 1: the organisation, the quarter, the services' scores (mean, 95 % interval, n, published, the previous
quarter and the change with its test) and a chart of the means with their intervals. Page 2: NPS with its
interpretation, and the KPIs. Page 3: the comparison with similar services and the quarter's service events.
Fonts are embedded as TrueType (``pdf.fonttype`` 42), so the text layer is searchable and extractable; figures
of unpublished scores (n below the threshold) are never drawn, only their n.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from exporters.report.content import EventLine, PeerPlace, QuarterlyReport, ScoreLine, ServiceSection
from exporters.report.texts import nps_band, number, percent, pick, signed, text
from federation.analytics.change import ImpactStatus
from federation.analytics.series import LOCAL_TIME_ZONE
from federation.analytics.service import PeerScope
from federation.scores.stats import ScoreStats
from federation.volumes.kpis import KpiStats, ShareStat

A4 = (8.27, 11.69)
DASH = "–"


SERVICES_PER_PAGE = 12
EVENTS_PER_PAGE = 10
T = TypeVar("T")
Page = Callable[[Figure, QuarterlyReport, str], None]


def render_pdf(report: QuarterlyReport, language: str) -> bytes:
    """The report as PDF bytes in ``language`` (a locale with a catalog: exporters/report/texts.py)."""
    buffer = io.BytesIO()
    metadata = {"Title": f"{text('title', language)} {report.quarter.label} {pick(report.names, language)}",
                "Creator": "arvio", "CreationDate": None}
    plan = _plan(report)
    with (rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans", "font.size": 9}),
          PdfPages(buffer, metadata=metadata) as pdf):
        for page, (draw, view) in enumerate(plan, start=1):
            figure = Figure(figsize=A4)  # not pyplot: no GUI backend, no global figure registry
            _header(figure, report, language, page, len(plan))
            draw(figure, view, language)
            pdf.savefig(figure)
    return buffer.getvalue()


def _chunks(items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)] or [()]


def _plan(report: QuarterlyReport) -> list[tuple[Page, QuarterlyReport]]:
    """The pages: three per dozen services (scores; NPS and KPIs; peers), the last with the first events, then
    pages of the remaining events. Each page draws a view of the report holding only its rows."""
    service_chunks, event_chunks = _chunks(report.services, SERVICES_PER_PAGE), _chunks(report.events,
                                                                                        EVENTS_PER_PAGE)
    plan: list[tuple[Page, QuarterlyReport]] = []
    for index, chunk in enumerate(service_chunks):
        last = index == len(service_chunks) - 1
        view = replace(report, services=chunk, events=event_chunks[0] if last else ())
        plan += [(_scores_page, view), (_nps_kpi_page, view), (_peers_events_page if last else _peers_page, view)]
    plan += [(_events_page, replace(report, services=(), events=chunk)) for chunk in event_chunks[1:]]
    return plan


def _header(figure: Figure, report: QuarterlyReport, language: str, page: int, pages: int) -> None:
    quarter = f"{text('quarter', language)} {report.quarter.label}"
    if not report.complete:
        quarter += f" ({text('running', language)} {report.end.astimezone(LOCAL_TIME_ZONE):%Y-%m-%d})"
    figure.text(0.06, 0.965, f"{text('title', language)} · {quarter}", fontsize=13, weight="bold")
    figure.text(0.06, 0.945, f"{pick(report.names, language)} ({report.organisation_id})", fontsize=11)
    figure.text(0.06, 0.03, f"{text('generated', language)} {report.generated_at:%Y-%m-%d %H:%M} UTC · "
                f"{text('threshold', language).format(n=report.publication_threshold)}", fontsize=7)
    figure.text(0.94, 0.03, f"{text('page', language)} {page}/{pages}", fontsize=7, ha="right")


def _table(figure: Figure, top: float, title: str, header: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[float], empty: str) -> float:
    """A titled table from ``top`` down; returns the height used (figure fraction)."""
    figure.text(0.06, top, title, fontsize=11, weight="bold")
    if not rows:
        figure.text(0.06, top - 0.025, empty, fontsize=9)
        return 0.06
    lines = max(2, *(cell.count("\n") + 1 for row in rows for cell in row))
    height = 0.022 * (1 + len(rows)) * (0.6 + 0.4 * lines)
    axes = figure.add_axes((0.06, top - 0.01 - height, 0.88, height))
    axes.axis("off")
    labels = ["\n".join(textwrap.wrap(label, 14)) for label in header]
    table = axes.table(cellText=[list(r) for r in rows], colLabels=labels, colWidths=list(widths),
                       cellLoc="left", loc="upper center", bbox=Bbox.from_bounds(0, 0, 1, 1))
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    for (row, _), cell in table.get_celld().items():
        if row == 0:
            cell.set_text_props(weight="bold", fontsize=6.5)
            cell.set_facecolor("#e8eef4")
    return height + 0.05


def _short(name: str, width: int = 40) -> str:
    return "\n".join(textwrap.wrap(name, width)[:2]) or DASH


def _mean(stats: ScoreStats, language: str) -> tuple[str, str]:
    if not stats.published or stats.mean is None or stats.mean_interval is None:
        return DASH, DASH
    interval = stats.mean_interval
    return number(stats.mean, language), f"{number(interval.low, language)}–{number(interval.high, language)}"


def _change(line: ScoreLine, language: str, digits: int = 2) -> str:
    difference = line.change.difference
    if difference is None or not (line.current.published and line.previous.published):
        return text("too_few", language)
    verdict = "significant" if difference.significant() else "not_significant"
    p_value = difference.p_value
    shown = f"p < {number(0.001, language, 3)}" if p_value < 0.001 else f"p = {number(p_value, language, 3)}"
    return f"{signed(difference.difference, language, digits)} ({text(verdict, language)}, {shown})"


def _score_row(section: ServiceSection, language: str) -> list[str]:
    line = section.headline
    mean, interval = _mean(line.current, language)
    previous, _ = _mean(line.previous, language)
    published = text("yes" if line.current.published else "no", language)
    return [_short(pick(section.names, language), 34), mean, interval, str(line.current.count), published,
            previous, "\n".join(textwrap.wrap(_change(line, language), 30))]


def _scores_page(figure: Figure, report: QuarterlyReport, language: str) -> None:
    header = [text(k, language) for k in ("service", "mean", "interval")] + ["n", text("published", language),
                                                                             text("previous", language),
                                                                             text("change", language)]
    rows = [_score_row(s, language) for s in report.services]
    used = _table(figure, 0.9, text("scores", language), header, rows,
                  (0.25, 0.08, 0.13, 0.06, 0.08, 0.11, 0.29), text("too_few", language))
    _means_chart(figure, report, language, top=0.9 - used - 0.02)


def _means_chart(figure: Figure, report: QuarterlyReport, language: str, *, top: float) -> None:
    shown = [s for s in report.services if s.headline.current.published]
    if not shown or top < 0.25:
        return
    height = min(top - 0.14, 0.08 + 0.07 * len(shown))
    axes = figure.add_axes((0.32, top - 0.04 - height, 0.6, height))
    axes.set_title(text("chart_title", language), fontsize=10, loc="left")
    quarters, labelled = (report.quarter.previous().label, report.quarter.label), set()
    for y, section in enumerate(shown):
        for stats, offset, colour, label in ((section.headline.previous, 0.18, "#9aa5b1", quarters[0]),
                                             (section.headline.current, -0.18, "#1f5f99", quarters[1])):
            if stats.published and stats.mean is not None and stats.mean_interval is not None:
                axes.errorbar(stats.mean, y + offset, xerr=[[stats.mean - stats.mean_interval.low],
                                                            [stats.mean_interval.high - stats.mean]],
                              fmt="o", color=colour, capsize=3, label=None if label in labelled else label)
                labelled.add(label)
    axes.set_yticks(range(len(shown)), [_short(pick(s.names, language), 28) for s in shown], fontsize=8)
    axes.set_xlim(1, 5)
    axes.set_ylim(len(shown) - 0.5, -0.5)
    axes.grid(axis="x", alpha=0.3)
    axes.legend(fontsize=7, loc="lower left")
    axes.xaxis.set_major_formatter(lambda value, _: number(value, language, 1))


def _nps_row(section: ServiceSection, line: ScoreLine, language: str) -> list[str]:
    stats = line.current
    if not stats.published or stats.nps is None or stats.nps_interval is None:
        value, interval, meaning = DASH, DASH, text("too_few", language)
    else:
        value = signed(stats.nps, language, 0)
        interval = f"{signed(stats.nps_interval.low, language, 0)}…{signed(stats.nps_interval.high, language, 0)}"
        meaning = "\n".join(textwrap.wrap(text(nps_band(stats.nps), language), 24))
    return [_short(pick(section.names, language), 30), value, interval, str(stats.count), meaning,
            "\n".join(textwrap.wrap(_change(line, language, 0), 30))]


def _share(stat: ShareStat | None, language: str) -> str:
    return DASH if stat is None else percent(stat.value, language)


def _count(value: int | None, language: str) -> str:
    return DASH if value is None else number(value, language, 0)


def _kpi_row(section: ServiceSection, kpis: KpiStats, language: str) -> list[str]:
    wait = DASH if kpis.median_wait is None else number(kpis.median_wait.minutes, language, 1)
    if kpis.median_wait is not None and kpis.median_wait.open_ended:
        wait = f"> {wait}"
    return [_short(pick(section.names, language), 30), _count(kpis.transactions, language),
            _share(kpis.digital_take_up, language), _share(kpis.completion_rate, language),
            _count(kpis.contacts_received, language), wait, _share(kpis.response_rate, language)]


def _nps_kpi_page(figure: Figure, report: QuarterlyReport, language: str) -> None:
    nps_rows = [_nps_row(s, s.nps, language) for s in report.services if s.nps is not None]
    header = [text("service", language), "NPS", text("interval", language), "n", text("interpretation", language),
              text("change", language)]
    used = _table(figure, 0.9, text("nps", language), header, nps_rows, (0.22, 0.07, 0.15, 0.06, 0.2, 0.3),
                  text("no_nps", language))
    kpi_rows = [_kpi_row(s, s.kpis, language) for s in report.services if s.kpis is not None]
    header = [text(k, language) for k in ("service", "transactions", "digital_take_up", "completion_rate",
                                          "contacts", "median_wait", "response_rate")]
    _table(figure, 0.9 - used - 0.02, text("kpis", language), header, kpi_rows,
           (0.22, 0.12, 0.13, 0.13, 0.13, 0.14, 0.13), text("no_kpis", language))


def _peer_row(section: ServiceSection, place: PeerPlace, language: str) -> list[str]:
    group = place.group if place.scope is not PeerScope.NATIONAL and place.group else text("all_services", language)
    if place.rank is None or place.shrunk_mean is None:
        rank, adjusted, share = text("not_ranked", language), DASH, DASH
    else:
        rank, adjusted = f"{place.rank}/{place.ranked}", number(place.shrunk_mean, language)
        share = DASH if place.percentile is None else number(place.percentile, language, 0)
    return [_short(pick(section.names, language), 30), group, rank, share, adjusted,
            number(place.peer_mean, language)]


def _impact(event: EventLine, language: str) -> str:
    impact = event.impact
    if impact.status is ImpactStatus.PENDING:
        return text("pending", language)
    if impact.difference is None:
        return text("too_few", language)
    verdict = "significant" if impact.difference.significant() else "not_significant"
    return f"{signed(impact.difference.difference, language)}\n({text(verdict, language)})"


def _event_row(event: EventLine, language: str) -> list[str]:
    description = pick(event.descriptions, language)
    if not event.public:
        description += f" ({text('internal', language)})"
    wrapped = textwrap.wrap(description, 48)
    lines = wrapped[:3] if len(wrapped) <= 3 else [*wrapped[:2], textwrap.shorten(wrapped[2] + " …", 44)]
    return [event.occurred_on.isoformat(), _short(pick(event.service_names, language), 24),
            "\n".join(lines), _impact(event, language)]


def _peers_table(figure: Figure, report: QuarterlyReport, language: str) -> float:
    peer_rows = [_peer_row(s, s.peers, language) for s in report.services if s.peers is not None]
    header = [text(k, language) for k in ("service", "group", "rank", "percentile", "adjusted", "peer_mean")]
    return _table(figure, 0.9, text("peers", language), header, peer_rows, (0.26, 0.2, 0.12, 0.12, 0.15, 0.15),
                  text("too_few", language))


def _events_table(figure: Figure, report: QuarterlyReport, language: str, top: float) -> None:
    header = [text(k, language) for k in ("date", "service", "description", "impact")]
    rows = [_event_row(e, language) for e in report.events]
    _table(figure, top, text("events", language), header, rows, (0.12, 0.22, 0.46, 0.2), text("no_events", language))


def _peers_page(figure: Figure, report: QuarterlyReport, language: str) -> None:
    _peers_table(figure, report, language)


def _events_page(figure: Figure, report: QuarterlyReport, language: str) -> None:
    _events_table(figure, report, language, 0.9)


def _peers_events_page(figure: Figure, report: QuarterlyReport, language: str) -> None:
    used = _peers_table(figure, report, language)
    _events_table(figure, report, language, 0.9 - used - 0.02)
