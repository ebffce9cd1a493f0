"""Every national question's wording fits its answer scale and the labels the citizen sees on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from federation.battery.models import Question, QuestionVersion
from federation.battery.national import EASY_TO_USE, NATIONAL_BATTERY, NationalQuestion, Wording
from federation.battery.question_sets import QUESTION_SETS, ChannelWording
from federation.battery.scales import Scale
from federation.battery.service import reword_question, seed_national_battery
from federation.battery.wording_rules import SCALE_LABELS, wording_problems
from federation.db import Database
from federation.i18n.catalogs import gettext
from federation.registry.kinds import ChannelType
from tests.conftest import NOW

WIDGET_JS = Path(__file__).parents[3] / "schema" / "http" / "static" / "arvio-widget.js"


@pytest.mark.parametrize("question", NATIONAL_BATTERY, ids=lambda q: q.id)
def test_the_current_wording_of_every_national_question_fits_its_scale(question: NationalQuestion) -> None:
    assert wording_problems(question.scale, question.wording) == []


@pytest.mark.parametrize("channel_wording", [(s.channel_type, w) for s in QUESTION_SETS.values() for w in s.wordings],
                         ids=lambda pair: f"{pair[0].value}:{pair[1].question_id}")
def test_every_channel_wording_fits_the_scale_of_its_national_question(
        channel_wording: tuple[ChannelType, ChannelWording]) -> None:
    scale = {q.id: q.scale for q in NATIONAL_BATTERY}[channel_wording[1].question_id]
    for wording in channel_wording[1].wordings:
        assert wording_problems(scale, wording) == []


def test_the_yes_no_wordings_of_star_questions_were_replaced_by_new_versions() -> None:
    replaced = {q.id: q.wordings[0] for q in NATIONAL_BATTERY if q.current_version > 1}
    assert set(replaced) == {"national.language-clear", "national.found-easily", "national.easy-to-use",
                             "national.helped-progress", "national.recommend"}
    for old in replaced.values():
        problems = wording_problems(Scale.STARS_5, old)
        assert len(problems) == 3 and all("Poor – Excellent" in p or "Huono – Erinomainen" in p
                                          or "Dålig – Utmärkt" in p for p in problems)


@pytest.mark.parametrize(("scale", "wording"), [
    (Scale.STARS_5, Wording("Oliko palvelua helppoa käyttää?", "Var tjänsten lätt att använda?",
                            "Was the service easy to use?")),
    (Scale.STARS_5, Wording("Kuinka todennäköisesti suosittelisit palvelua?", "Hur sannolikt …?",
                            "How likely are you to recommend it?")),
    (Scale.NPS_11, Wording("Kuinka asiointisi sujui?", "Hur gick ditt ärende?", "How did your transaction go?")),
    (Scale.YES_NO, Wording("Kuinka asiointisi sujui?", "Hur gick ditt ärende?", "How did your transaction go?")),
    (Scale.LIKERT_5, Wording("Oliko palvelu hyvä?", "Var tjänsten bra?", "Was the service good?")),
    (Scale.STARS_5, Wording("Kuinka asiointisi sujui", "Hur gick ditt ärende", "How did your transaction go")),
])
def test_a_wording_that_does_not_fit_is_named_in_every_language(scale: Scale, wording: Wording) -> None:
    problems = wording_problems(scale, wording)
    assert [p[:3] for p in problems] == ["fi:", "sv:", "en:"]


@pytest.mark.parametrize(("scale", "wording"), [
    (Scale.YES_NO, Wording("Löysitkö palvelun helposti?", "Hittade du tjänsten lätt?",
                           "Did you find the service easily?")),
    (Scale.NPS_11, NATIONAL_BATTERY[-1].wording),
    (Scale.LIKERT_5, Wording("Palvelu oli helppo käyttää.", "Tjänsten var lätt att använda.",
                             "The service was easy to use.")),
    (Scale.FACES_4, Wording("Millainen asiointikokemuksesi oli?", "Hur var ditt ärende?", "How was your visit?")),
])
def test_wordings_that_fit_their_scales(scale: Scale, wording: Wording) -> None:
    assert wording_problems(scale, wording) == []


def _js_rows() -> dict[str, list[str]]:
    text = WIDGET_JS.read_text(encoding="utf-8")
    rows = re.findall(r"^\s+(low|high|npsLow|npsHigh|likertLow|likertHigh|yes|no): N_\((\".*\")\),$", text, re.M)
    return {name: [gettext(locale, json.loads(msgid)) for locale in ("fi", "sv", "en")] for name, msgid in rows}


def test_the_widget_shows_the_same_labels_as_the_rule_reads() -> None:
    rows = _js_rows()
    as_list = {scale: [[w.fi, w.sv, w.en] for w in labels] for scale, labels in SCALE_LABELS.items()}
    assert as_list[Scale.STARS_5] == [rows["low"], rows["high"]]
    assert as_list[Scale.NPS_11] == [rows["npsLow"], rows["npsHigh"]]
    assert as_list[Scale.LIKERT_5] == [rows["likertLow"], rows["likertHigh"]]
    assert as_list[Scale.YES_NO] == [rows["no"], rows["yes"]]


def test_seeding_adds_the_new_versions_to_a_database_seeded_before_them(database: Database) -> None:
    with database.transaction() as session:  # a database seeded with version 1 only
        for version in session.scalars(select(QuestionVersion).where(QuestionVersion.version > 1)):
            session.delete(version)
        for question in session.scalars(select(Question).where(Question.owner_organisation_id.is_(None))):
            question.current_version = 1
    with database.transaction() as session:
        assert seed_national_battery(session, now=NOW) == 5
        assert seed_national_battery(session, now=NOW) == 0
        easy = session.get(Question, EASY_TO_USE)
        assert easy is not None and easy.current_version == 2
        text = session.get(QuestionVersion, (EASY_TO_USE, 2))
        assert text is not None and text.text_en == "How would you rate how easy the service was to use?"


def test_seeding_never_overwrites_a_wording_an_admin_made(database: Database) -> None:
    mine = Wording("Miten arvioisit palvelun käytettävyyttä?", "Hur bedömer du tjänstens användbarhet?",
                   "How would you rate the usability of the service?")
    with database.transaction() as session:
        reword_question(session, EASY_TO_USE, mine, now=NOW)
    with database.transaction() as session:
        assert seed_national_battery(session, now=NOW) == 0
        easy = session.get(Question, EASY_TO_USE)
        assert easy is not None and easy.current_version == 3
        text = session.get(QuestionVersion, (EASY_TO_USE, 3))
        assert text is not None and text.text_en == mine.en
