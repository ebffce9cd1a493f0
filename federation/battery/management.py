"""Who may change which question: organisations manage their own questions and weights; national questions
change only through an admin, and only as a new wording version.

Every function takes the acting organisation (``None`` for an admin), checks it, records an audit event in the
caller's transaction and leaves the commit to the caller. Callers drop the in-process draw cache afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.battery.drawing import ANY
from federation.battery.models import Question, QuestionWeight
from federation.battery.national import Wording
from federation.battery.question_sets import describe, format_types, normalise_types, parse_types, takes
from federation.battery.rotation import check_weight
from federation.battery.scales import Scale
from federation.battery.service import define_question, reword_question
from federation.errors import AuthCode, BatteryCode, DomainError, Forbidden, NotFound, RegistryCode
from federation.locks import serialise
from federation.registry.kinds import ChannelType
from federation.registry.models import Channel, ServiceChannel, ServiceOrganisation
from federation.registry.service import normalise_guid

MAX_WORDING = 300


def check_wording(wording: Wording) -> Wording:
    """Trimmed fi/sv/en texts; every language is required (the widget shows all three)."""
    texts = Wording(wording.fi.strip(), wording.sv.strip(), wording.en.strip())
    for code, text in (("fi", texts.fi), ("sv", texts.sv), ("en", texts.en)):
        if not text or len(text) > MAX_WORDING:
            raise DomainError(BatteryCode.INVALID_WORDING,
                              f"the {code} wording must be 1-{MAX_WORDING} characters; give "
                              "the question in Finnish, Swedish and English.")
    return texts


def _weight(weight: float) -> float:
    try:
        check_weight(weight)
    except ValueError as error:
        raise DomainError(BatteryCode.INVALID_WEIGHT, str(error)) from None
    return float(weight)


def _question(session: Session, question_id: str) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(BatteryCode.UNKNOWN_QUESTION,
                       f"question {question_id!r} is unknown; list questions with `questions`.")
    return question


def _own(question: Question, actor: str | None, action: str) -> None:
    """Refuse unless the actor may ``action`` the question (admins may act on any question)."""
    if actor is None:
        return
    if question.owner_organisation_id is None:
        raise Forbidden(f"national question {question.id!r} can only be {action} by an admin, as a new wording "
                        "version; give it weight 0 in your rotation to stop drawing it.",
                        code=BatteryCode.NATIONAL_QUESTION)
    if question.owner_organisation_id != actor:
        raise Forbidden(f"question {question.id!r} belongs to another organisation.",
                        code=BatteryCode.NOT_YOUR_QUESTION)


def define_own_question(session: Session, organisation_id: str, *, question_id: str, scale: Scale,
                        wording: Wording, weight: float, now: dt.datetime, actor: str,
                        channel_types: Iterable[ChannelType] | None = None) -> Question:
    """An organisation's own question (wording version 1) on any scale, drawn and taken on ``channel_types``
    (None: every channel type; federation/battery/question_sets.py)."""
    try:
        types = normalise_types(channel_types)
    except ValueError as error:
        raise DomainError(BatteryCode.INVALID_CHANNEL_TYPES, str(error)) from None
    question = define_question(session, question_id=question_id.strip(), owner=organisation_id, scale=scale,
                               wording=check_wording(wording), now=now, weight=_weight(weight),
                               channel_types=format_types(types))
    record(session, actor=actor, action="question.define", subject=question.id, now=now, scale=scale.value,
           channel_types=format_types(types))
    return question


def reword(session: Session, question_id: str, wording: Wording, *, organisation_id: str | None,
           now: dt.datetime, actor: str) -> Question:
    """A new wording version (the organisation's own question, or any question for an admin)."""
    question = _question(session, question_id)
    _own(question, organisation_id, "reworded")
    if question.retired_at is not None:
        raise DomainError(BatteryCode.QUESTION_RETIRED, f"question {question_id!r} is retired; define a new question.")
    question = reword_question(session, question_id, check_wording(wording), now=now)
    record(session, actor=actor, action="question.reword", subject=question_id, now=now,
           version=question.current_version)
    return question


def retire(session: Session, question_id: str, *, organisation_id: str | None, now: dt.datetime,
           actor: str) -> Question:
    """Retire an organisation's own question: it is no longer drawn and takes no new answers (idempotent)."""
    serialise(session, "question", question_id)
    question = _question(session, question_id)
    if question.owner_organisation_id is None:
        # Nobody may (not a matter of who asks): the argument names a question that cannot be retired.
        raise DomainError(BatteryCode.NATIONAL_QUESTION,
                          f"national question {question_id!r} cannot be retired; give it "
                          "weight 0 in your rotation instead.")
    _own(question, organisation_id, "retired")
    if question.retired_at is None:
        question.retired_at = now
        record(session, actor=actor, action="question.retire", subject=question_id, now=now)
    return question


def set_weight(session: Session, organisation_id: str, question_id: str, weight: float | None, *,
               service_id: str | None, channel_id: str | None, now: dt.datetime, actor: str) -> QuestionWeight | None:
    """Set (or with ``weight=None`` remove) the organisation's weight of a question, organisation-wide or for one
    service and/or channel. National questions and the organisation's own may be weighted."""
    question = _question(session, question_id)
    if question.owner_organisation_id not in (None, organisation_id):
        raise Forbidden(f"question {question_id!r} belongs to another organisation.",
                        code=BatteryCode.NOT_YOUR_QUESTION)
    sid = normalise_guid(service_id, "Service") if service_id else ANY
    cid = normalise_guid(channel_id, "Channel") if channel_id else ANY
    _check_scope(session, organisation_id, sid, cid)
    _check_set(session, question, cid)
    key = (organisation_id, sid, cid, question_id)
    serialise(session, "question_weight", *key)
    row = session.get(QuestionWeight, key)
    if weight is None:
        if row is not None:
            session.delete(row)
        record(session, actor=actor, action="question.weight.clear", subject=question_id, now=now,
               service=sid or None, channel=cid or None)
        session.flush()
        return None
    if row is None:
        row = QuestionWeight(organisation_id=organisation_id, service_id=sid, channel_id=cid,
                             question_id=question_id, weight=_weight(weight), updated_at=now)
        session.add(row)
    row.weight, row.updated_at = _weight(weight), now
    record(session, actor=actor, action="question.weight.set", subject=question_id, now=now, weight=row.weight,
           service=sid or None, channel=cid or None)
    session.flush()
    return row


def _check_scope(session: Session, organisation_id: str, service_id: str, channel_id: str) -> None:
    if service_id and session.get(ServiceOrganisation, (service_id, organisation_id)) is None:
        raise Forbidden(f"organisation {organisation_id} is not registered for service {service_id}.",
                        code=AuthCode.NOT_YOUR_SERVICE)
    if channel_id and session.get(Channel, channel_id) is None:
        raise NotFound(RegistryCode.UNKNOWN_CHANNEL,
                       f"channel {channel_id} is not registered; use the channel's PTV id.")
    if channel_id and not service_id and not _serves_organisation(session, organisation_id, channel_id):
        raise Forbidden(f"channel {channel_id} serves none of organisation {organisation_id}'s services; weight "
                        "only channels of your own services.", code=BatteryCode.NOT_YOUR_CHANNEL)
    if service_id and channel_id and session.get(ServiceChannel, (service_id, channel_id)) is None:
        raise DomainError(RegistryCode.CHANNEL_NOT_OF_SERVICE, f"channel {channel_id} is not a channel of service "
                                                               f"{service_id}.")


def _check_set(session: Session, question: Question, channel_id: str) -> None:
    """Refuse a weight on a channel whose type does not take the question (it could never be drawn there)."""
    channel = session.get(Channel, channel_id) if channel_id else None
    if channel is None or takes(channel.channel_type, question.id, parse_types(question.channel_types),
                                national=question.owner_organisation_id is None):
        return
    raise DomainError(BatteryCode.QUESTION_NOT_FOR_CHANNEL,
                      f"question {question.id!r} is never drawn on channel {channel_id}: "
                      f"{describe(channel.channel_type)}; weight a question of that set.")


def _serves_organisation(session: Session, organisation_id: str, channel_id: str) -> bool:
    """Whether the channel serves at least one service the organisation reports for."""
    return session.scalar(
        select(ServiceChannel.service_id).join(
            ServiceOrganisation, ServiceOrganisation.service_id == ServiceChannel.service_id)
        .where(ServiceChannel.channel_id == channel_id, ServiceOrganisation.organisation_id == organisation_id)
        .limit(1)) is not None


def weight_rules(session: Session, organisation_id: str) -> list[QuestionWeight]:
    """The organisation's weight rules, by question then scope."""
    return list(session.scalars(select(QuestionWeight).where(QuestionWeight.organisation_id == organisation_id)
                                .order_by(QuestionWeight.question_id, QuestionWeight.service_id,
                                          QuestionWeight.channel_id)))
