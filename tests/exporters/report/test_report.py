"""The quarterly report of a demo organisation: its PDF's text layer names the organisation, every service and the
quarter, and writes the key figures the chosen language's way (exporters/report/)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from exporters.report.content import QuarterlyReport, build_report
from exporters.report.quarter import Quarter, parse_quarter
from exporters.report.render import render_pdf
from federation.analytics.change import ImpactStatus
from federation.db import Database
from federation.demo import ORGANISATIONS, SERVICES
from federation.errors import DomainError, RegistryCode, ReportCode
from federation.privacy.protector import PrivacyProtector
from pseudonymize.keys import KeyRing
from schema.cli.demo import load_demo_volumes
from tests.conftest import TEST_KEY
from tests.schema.analytics_support import seed_demo

NOW = dt.datetime(2027, 1, 10, 12, 0, tzinfo=dt.UTC)
"""The demo's year of ratings and volumes ends here: 2026Q3 and 2026Q2 are whole quarters of it, and its service
events (federation/analytics/demo.py) fall in 2026Q3."""
CITY = ORGANISATIONS[0]
COUNTY = ORGANISATIONS[1]  # its health-centre booking answers NPS by phone and chat
THRESHOLD = 10


@pytest.fixture
def demo(database: Database) -> Database:
    seed_demo(database, now=NOW, scale=0.15, protector=PrivacyProtector(KeyRing((TEST_KEY,))))
    with database.transaction() as session:
        load_demo_volumes(session, now=NOW, scale=0.15)
    return database


def _report(database: Database, organisation_id: str) -> QuarterlyReport:
    with database.transaction(write=False) as session:
        return build_report(session, organisation_id, parse_quarter("2026Q3", now=NOW), now=NOW,
                            publication_threshold=THRESHOLD, prior_weight=20)


def _text(pdf: bytes, pages: int = 3) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " "))


def _decimal(value: float, language: str, digits: int = 2) -> str:
    written = f"{value:.{digits}f}"
    return written if language == "en" else written.replace(".", ",")


def _thousands(value: int, language: str) -> str:
    return f"{value:,}" if language == "en" else f"{value:,}".replace(",", " ")


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_city_report_names_everything_and_writes_figures_in_the_language(demo: Database, language: str) -> None:
    report = _report(demo, CITY.business_id)
    text = _text(render_pdf(report, language))
    index = ("fi", "sv", "en").index(language)
    assert (CITY.fi, CITY.sv, CITY.en)[index] in text
    assert "2026Q3" in text and "2026Q2" in text
    city_services = [s for s in SERVICES if s.organisation == CITY.business_id]
    assert {s.service_id for s in report.services} == {s.id for s in city_services}
    for service in city_services:
        assert (service.fi, service.sv, service.en)[index] in text
    published = [s for s in report.services if s.headline.current.published]
    assert published, "the demo's city services reach the threshold in a quarter"
    for section in published:
        stats = section.headline.current
        assert stats.mean is not None and stats.mean_interval is not None
        assert f"{_decimal(stats.mean, language)} " in text
        low, high = (_decimal(v, language) for v in (stats.mean_interval.low, stats.mean_interval.high))
        assert f"{low}–{high}" in text
        assert f" {stats.count} " in text
    with_kpis = [s for s in report.services if s.kpis is not None and s.kpis.transactions is not None]
    assert with_kpis, "the demo reports volumes for the city's services"
    for section in with_kpis:
        assert section.kpis is not None and section.kpis.transactions is not None
        assert _thousands(section.kpis.transactions, language) in text
    assert ("Palvelujen arviot" if language == "fi" else "Service scores") in text


def test_a_locale_without_translations_reads_finnish_words_and_names(demo: Database) -> None:
    report = _report(demo, CITY.business_id)
    text = _text(render_pdf(report, "se"))
    assert "Neljännesvuosiraportti" in text and "Palvelujen arviot" in text and CITY.fi in text
    published = [s.headline.current for s in report.services if s.headline.current.published]
    assert published and all(f"{_decimal(stats.mean or 0, 'fi')} " in text for stats in published)


@pytest.mark.parametrize("language", ["fi", "en"])
def test_nps_is_shown_with_its_interpretation_and_the_change_with_its_test(demo: Database, language: str) -> None:
    report = _report(demo, COUNTY.business_id)
    [health] = report.services
    assert health.nps is not None and health.nps.current.published and health.nps.current.nps is not None
    text = _text(render_pdf(report, language))
    nps = health.nps.current.nps
    assert f"{'+' if nps >= 0 else '-'}{abs(nps):.0f} " in text
    bands = {"fi": ("arvostelijoita enemmän", "hyvä"), "en": ("more detractors than promoters", "good")}
    assert any(band in text for band in bands[language])
    assert health.nps.change.status is ImpactStatus.COMPLETE and health.nps.change.difference is not None
    verdict = {"fi": ("merkitsevä", "ei merkitsevä"), "en": ("significant", "not significant")}[language]
    assert any(f"({word}, p " in text for word in verdict)


def test_service_events_of_the_quarter_are_listed_with_their_impact(demo: Database) -> None:
    report = _report(demo, CITY.business_id)
    assert report.events, "the demo's service changes fall in 2026Q3"
    text = _text(render_pdf(report, "en"))
    for event in report.events:
        assert event.occurred_on.isoformat() in text
        assert event.descriptions[2] is not None and event.descriptions[2] in text
    assert "You said, we did" in text


def test_the_running_quarter_is_marked_and_unpublished_figures_are_not_drawn(demo: Database) -> None:
    with demo.transaction(write=False) as session:
        report = build_report(session, CITY.business_id, parse_quarter("2027Q1", now=NOW), now=NOW,
                              publication_threshold=100_000, prior_weight=20)
    assert not report.complete and all(not s.headline.current.published for s in report.services)
    text = _text(render_pdf(report, "en"))
    assert "in progress, as of 2027-01-10" in text
    assert "too few answers" in text


@pytest.mark.parametrize(("raw", "code"), [("2026Q5", ReportCode.INVALID_QUARTER),
                                           ("2026-Q3", ReportCode.INVALID_QUARTER),
                                           ("9" * 10_000, ReportCode.INVALID_QUARTER),
                                           ("1999Q4", ReportCode.INVALID_QUARTER),
                                           ("2027Q2", ReportCode.QUARTER_IN_FUTURE)])
def test_malformed_or_future_quarters_are_refused(raw: str, code: ReportCode) -> None:
    with pytest.raises(DomainError) as refused:
        parse_quarter(raw, now=NOW)
    assert refused.value.code is code
    assert len(refused.value.message) < 200


def test_quarters_follow_the_local_calendar() -> None:
    q3 = parse_quarter(" 2026q3 ", now=NOW)
    assert q3 == Quarter(2026, 3) and q3.previous() == Quarter(2026, 2) and Quarter(2026, 1).previous().label == \
        "2025Q4"
    assert q3.start == dt.datetime(2026, 6, 30, 21, 0, tzinfo=dt.UTC)  # 1 July 00:00 in Helsinki (UTC+3)
    assert q3.end == dt.datetime(2026, 9, 30, 21, 0, tzinfo=dt.UTC)
    assert Quarter(2026, 4).end == dt.datetime(2026, 12, 31, 22, 0, tzinfo=dt.UTC)  # winter time, UTC+2


def test_an_unknown_organisation_is_refused(database: Database) -> None:
    with database.transaction(write=False) as session, pytest.raises(DomainError) as refused:
        build_report(session, "0245437-2", Quarter(2026, 3), now=NOW, publication_threshold=THRESHOLD,
                     prior_weight=20)
    assert refused.value.code is RegistryCode.UNKNOWN_ORGANISATION


def test_many_services_and_events_continue_on_further_pages(demo: Database) -> None:
    report = _report(demo, CITY.business_id)
    section, event = report.services[0], report.events[0]
    services = tuple(dataclasses.replace(section, service_id=f"s{i}", names=(f"Palvelu {i:02d}", None, None))
                     for i in range(30))
    events = tuple(dataclasses.replace(event, occurred_on=dt.date(2026, 7, 1) + dt.timedelta(days=i))
                   for i in range(25))
    big = dataclasses.replace(report, services=services, events=events)
    text = _text(render_pdf(big, "fi"), pages=3 * 3 + 2)  # three pages per 12 services, two more of events
    assert all(f"Palvelu {i:02d}" in text for i in range(30))
    assert all((dt.date(2026, 7, 1) + dt.timedelta(days=i)).isoformat() in text for i in range(25))
    assert "Sivu 11/11" in text
