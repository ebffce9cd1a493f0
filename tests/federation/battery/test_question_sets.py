"""Question sets per channel type (federation/battery/question_sets.py): what each type draws and takes, the
kiosk wording, and draws that never leave their channel's set."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from federation.battery.national import NATIONAL_BATTERY, NPS, RECOMMEND, TRANSACTION_SMOOTH, Wording
from federation.battery.question_sets import (
    KIOSK_WORDINGS,
    NATIONAL_IDS,
    QUESTION_SETS,
    channel_wording,
    describe,
    draw_pool,
    format_types,
    normalise_types,
    parse_types,
    takes,
    variant_label,
)
from federation.battery.rotation import PoolQuestion, WeightRule, build_table
from federation.battery.scales import Scale
from federation.battery.wording_rules import wording_problems
from federation.registry.kinds import ChannelType

NATIONAL = {q.id: q for q in NATIONAL_BATTERY}
ONLINE = re.compile(r"verkko|e-tjänst|online|digital", re.IGNORECASE)
"""Words of the online service: the national recommend question has them, no kiosk wording may."""
SERVICE, KIOSK_CHANNEL = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20", "c0c0c0c0-0000-4000-8000-000000000001"


def national_pool() -> list[PoolQuestion]:
    return [PoolQuestion(q.id, q.current_version, q.scale, 1.0, None, q.wording) for q in NATIONAL_BATTERY]


def own(question_id: str, types: frozenset[ChannelType] | None, scale: Scale = Scale.STARS_5) -> PoolQuestion:
    return PoolQuestion(question_id, 1, scale, 1.0, "1000001-2", Wording("Miten meni?", "Hur gick det?",
                                                                         "How did it go?"), types)


def test_every_channel_type_has_a_set_of_national_questions() -> None:
    assert set(QUESTION_SETS) == set(ChannelType)
    for channel_type, question_set in QUESTION_SETS.items():
        assert question_set.channel_type is channel_type and question_set.description
        assert question_set.questions and set(question_set.questions) <= NATIONAL_IDS
        assert len(set(question_set.questions)) == len(question_set.questions)
        assert TRANSACTION_SMOOTH in question_set.questions  # the fallback of every non-voice draw


def test_kiosks_take_the_transaction_and_recommend_questions_only() -> None:
    assert QUESTION_SETS[ChannelType.KIOSK].questions == (TRANSACTION_SMOOTH, RECOMMEND)
    assert {w.question_id for w in KIOSK_WORDINGS} == {TRANSACTION_SMOOTH, RECOMMEND}


def test_recommending_the_online_service_is_asked_only_of_online_channels_and_nps_of_all_but_kiosks() -> None:
    online = {t for t in ChannelType if takes(t, RECOMMEND, None, national=True) and channel_wording(t, RECOMMEND)
              is None}
    assert online == {ChannelType.ECHANNEL, ChannelType.WEB_PAGE}
    assert {t for t in ChannelType if not takes(t, NPS, None, national=True)} == {ChannelType.KIOSK}


@pytest.mark.parametrize("kiosk", KIOSK_WORDINGS, ids=lambda w: w.question_id)
def test_the_kiosk_wordings_fit_their_scale_and_ask_about_this_service(kiosk: object) -> None:
    question_id = kiosk.question_id  # type: ignore[attr-defined]
    wording = kiosk.wording  # type: ignore[attr-defined]
    assert wording_problems(NATIONAL[question_id].scale, wording) == []
    for text in (wording.fi, wording.sv, wording.en):
        assert not ONLINE.search(text), text
    assert ONLINE.search(NATIONAL[RECOMMEND].wording.fi)  # the wording the kiosk must not show
    assert variant_label(ChannelType.KIOSK, question_id) == "Kiosk.1"


def test_only_kiosks_have_a_wording_variant() -> None:
    labels = {(t, q): variant_label(t, q) for t in ChannelType for q in NATIONAL_IDS}
    assert {k for k, v in labels.items() if v is not None} == {(ChannelType.KIOSK, TRANSACTION_SMOOTH),
                                                               (ChannelType.KIOSK, RECOMMEND)}
    assert variant_label(None, RECOMMEND) is None and channel_wording(None, RECOMMEND) is None


def test_a_kiosk_pool_has_the_kiosk_wordings_and_own_questions_for_kiosks() -> None:
    pool = [*national_pool(), own("city.faces", frozenset({ChannelType.KIOSK}), Scale.FACES_4),
            own("city.page", frozenset({ChannelType.WEB_PAGE})), own("city.any", None)]
    kiosk = {q.question_id: q for q in draw_pool(pool, ChannelType.KIOSK)}
    assert set(kiosk) == {TRANSACTION_SMOOTH, RECOMMEND, "city.faces", "city.any"}
    assert kiosk[RECOMMEND].wording.fi == "Miten arvioisit tämän palvelun suositeltavuutta muille?"
    assert kiosk[RECOMMEND].wording_version == NATIONAL[RECOMMEND].current_version  # the national version is kept
    assert (kiosk[RECOMMEND].variant, kiosk["city.any"].variant) == ("Kiosk.1", None)
    web = {q.question_id: q for q in draw_pool(pool, ChannelType.WEB_PAGE)}
    assert set(web) == {*QUESTION_SETS[ChannelType.WEB_PAGE].questions, "city.page", "city.any"}
    assert web[RECOMMEND].wording == NATIONAL[RECOMMEND].wording and web[RECOMMEND].variant is None
    assert draw_pool(pool, None) == pool  # no channel: not limited


def test_a_kiosk_draw_never_asks_about_online_services() -> None:
    table = build_table(draw_pool(national_pool(), ChannelType.KIOSK), [], service_id=SERVICE,
                        channel_id=KIOSK_CHANNEL, voice=False)
    rng = random.Random(17)
    drawn = [table.pick(rng).question for _ in range(5000)]
    assert {q.question_id for q in drawn} == {TRANSACTION_SMOOTH, RECOMMEND}
    for question in drawn:
        for text in (question.wording.fi, question.wording.sv, question.wording.en):
            assert not ONLINE.search(text), text


_RULES = st.lists(st.builds(WeightRule, st.sampled_from(sorted(NATIONAL_IDS)),
                            st.sampled_from([0.0, 0.5, 1.0, 40.0]),
                            st.sampled_from([None, SERVICE]), st.sampled_from([None, KIOSK_CHANNEL])), max_size=8)


@settings(max_examples=200, deadline=None)
@given(channel_type=st.sampled_from(list(ChannelType)), rules=_RULES)
def test_whatever_the_weights_a_draw_stays_in_its_channels_set(channel_type: ChannelType,
                                                               rules: list[WeightRule]) -> None:
    pool = draw_pool(national_pool(), channel_type)
    voice = channel_type in (ChannelType.PHONE, ChannelType.CHAT)
    table = build_table(pool, rules, service_id=SERVICE, channel_id=KIOSK_CHANNEL, voice=voice)
    allowed = set(QUESTION_SETS[channel_type].questions)
    for candidate in table.candidates:
        assert candidate.question.question_id in allowed
        assert candidate.question.wording == (channel_wording(channel_type, candidate.question.question_id)
                                              or NATIONAL[candidate.question.question_id].wording)


@settings(max_examples=100, deadline=None)
@given(types=st.frozensets(st.sampled_from(list(ChannelType)), min_size=1))
def test_channel_types_are_stored_and_read_back(types: frozenset[ChannelType]) -> None:
    normal = normalise_types(types)
    assert parse_types(format_types(normal)) == normal
    assert normal is None if types == frozenset(ChannelType) else normal == types
    for channel_type in ChannelType:
        assert takes(channel_type, "city.q", normal, national=False) is (channel_type in types)


def test_every_type_is_the_default_and_an_empty_list_is_refused() -> None:
    assert normalise_types(None) is None and format_types(None) is None and parse_types(None) is None
    with pytest.raises(ValueError, match="at least one channel type"):
        normalise_types([])


def test_a_refusal_names_the_type_and_its_questions() -> None:
    assert describe(ChannelType.KIOSK) == ("Kiosk channels take national.transaction-smooth, national.recommend "
                                           "and the organisations' own questions defined for Kiosk")
