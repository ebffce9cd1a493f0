"""Managing questions: an organisation's own questions and new wording versions."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from federation.battery.models import Question, QuestionVersion
from federation.battery.national import NATIONAL_BATTERY, Wording
from federation.battery.scales import Scale
from federation.errors import BatteryCode, DomainError, NotFound
from federation.locks import serialise

_QUESTION_ID = re.compile(r"^[a-z0-9][a-z0-9.-]{2,118}$")


def define_question(session: Session, *, question_id: str, owner: str, scale: Scale, wording: Wording,
                    now: dt.datetime, weight: float = 1.0, channel_types: str | None = None) -> Question:
    """Create an organisation's own question (wording version 1); ``channel_types`` as stored by
    federation/battery/question_sets.py ``format_types`` (None: every channel type)."""
    if not _QUESTION_ID.match(question_id) or question_id.startswith("national."):
        raise DomainError(BatteryCode.INVALID_QUESTION_ID,
                          f"question id {question_id!r} must be 3–120 characters of a–z, "
                          "0–9, '.' and '-', and must not start with 'national.'.")
    serialise(session, "question", question_id)
    if session.get(Question, question_id) is not None:
        raise DomainError(BatteryCode.QUESTION_EXISTS,
                          f"question {question_id!r} exists; reword it to make a new version.")
    if weight < 0:
        raise DomainError(BatteryCode.INVALID_WEIGHT, "a weight must be zero or positive.")
    question = Question(id=question_id, owner_organisation_id=owner, scale=scale, current_version=1,
                        weight=weight, created_at=now, channel_types=channel_types)
    session.add(question)
    session.add(QuestionVersion(question_id=question_id, version=1, text_fi=wording.fi, text_sv=wording.sv,
                                text_en=wording.en, created_at=now))
    session.flush()
    return question


def reword_question(session: Session, question_id: str, wording: Wording, *, now: dt.datetime) -> Question:
    """Publish a new wording version; answers collected under older wordings keep their version."""
    serialise(session, "question", question_id)
    question = session.get(Question, question_id, populate_existing=True)
    if question is None:
        raise NotFound(BatteryCode.UNKNOWN_QUESTION, f"question {question_id!r} is unknown.")
    question.current_version += 1
    session.add(QuestionVersion(question_id=question_id, version=question.current_version, text_fi=wording.fi,
                                text_sv=wording.sv, text_en=wording.en, created_at=now))
    session.flush()
    return question


def seed_national_battery(session: Session, *, now: dt.datetime) -> int:
    """Bring the national questions up to ``NATIONAL_BATTERY`` (federation/battery/national.py); returns how many
    wording versions were added.

    A missing question is inserted with all its versions, the newest current. An existing one gets the versions
    it lacks after its current one, numbered as in the data, and its current version moves to the newest. A
    question whose current version is already at (or past) the data's newest is left alone: a wording an admin
    made with ``rewordQuestion`` is never overwritten here.
    """
    added = 0
    for item in NATIONAL_BATTERY:
        question = session.get(Question, item.id)
        if question is None:
            question = Question(id=item.id, owner_organisation_id=None, scale=item.scale, current_version=0,
                                weight=1.0, created_at=now)
            session.add(question)
        else:
            serialise(session, "question", item.id)
            session.refresh(question)
            if question.current_version >= item.current_version:
                continue
        for version in range(question.current_version + 1, item.current_version + 1):
            wording = item.wordings[version - 1]
            session.add(QuestionVersion(question_id=item.id, version=version, text_fi=wording.fi,
                                        text_sv=wording.sv, text_en=wording.en, created_at=now))
            added += 1
        question.current_version = item.current_version
    session.flush()
    return added
