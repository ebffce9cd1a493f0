"""Question rotation: weights, scopes, defaults, fallback, and that draws follow the weights (seeded)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from federation.battery.national import Wording
from federation.battery.rotation import (
    DrawTable,
    PoolQuestion,
    WeightRule,
    build_table,
    check_weight,
)
from federation.battery.scales import Scale

SERVICE, OTHER_SERVICE = "s-1", "s-2"
WEB, PHONE = "c-web", "c-phone"
ALPHA = 1e-6
"""False-alarm rate of the statistical tests: a correct draw fails one in a million runs (seeds are fixed)."""


def q(question_id: str, scale: Scale = Scale.STARS_5, weight: float = 1.0, owner: str | None = None) -> PoolQuestion:
    return PoolQuestion(question_id, 1, scale, weight, owner, Wording("fi", "sv", "en"))


POOL = [q("national.transaction-smooth"), q("national.language-clear"), q("national.found-easily"),
        q("national.easy-to-use"), q("national.helped-progress"), q("national.recommend"),
        q("national.nps", Scale.NPS_11), q("city.own", weight=2.0, owner="1000001-2")]


def chances(table: DrawTable) -> dict[str, float]:
    return {c.question.question_id: round(c.probability, 12) for c in table.candidates}


def test_web_channels_draw_the_star_questions_by_their_default_weights() -> None:
    table = build_table(POOL, [], service_id=SERVICE, channel_id=WEB, voice=False)
    assert chances(table) == {"city.own": 0.25, "national.easy-to-use": 0.125, "national.found-easily": 0.125,
                              "national.helped-progress": 0.125, "national.language-clear": 0.125,
                              "national.recommend": 0.125, "national.transaction-smooth": 0.125}


def test_voice_channels_draw_nps_only() -> None:
    table = build_table(POOL, [], service_id=SERVICE, channel_id=PHONE, voice=True)
    assert chances(table) == {"national.nps": 1.0}


def test_the_most_specific_rule_wins() -> None:
    rules = [WeightRule("national.recommend", 0.0),  # organisation-wide: never
             WeightRule("national.recommend", 5.0, service_id=SERVICE),  # but on this service: often
             WeightRule("national.recommend", 2.0, channel_id=WEB),  # any service on the web channel
             WeightRule("national.recommend", 9.0, service_id=SERVICE, channel_id=WEB)]
    at = {(s, c): chances(build_table(POOL, rules, service_id=s, channel_id=c, voice=False))
          for s in (SERVICE, OTHER_SERVICE) for c in (WEB, None)}
    assert at[(SERVICE, WEB)]["national.recommend"] == round(9 / (9 + 7), 12)
    assert at[(SERVICE, None)]["national.recommend"] == round(5 / (5 + 7), 12)
    assert at[(OTHER_SERVICE, WEB)]["national.recommend"] == round(2 / (2 + 7), 12)
    assert "national.recommend" not in at[(OTHER_SERVICE, None)]


def test_a_rule_can_bring_nps_to_the_web_and_stars_to_the_phone() -> None:
    rules = [WeightRule("national.nps", 1.0, channel_id=WEB), WeightRule("national.transaction-smooth", 3.0,
                                                                         channel_id=PHONE)]
    web = chances(build_table(POOL, rules, service_id=SERVICE, channel_id=WEB, voice=False))
    phone = chances(build_table(POOL, rules, service_id=SERVICE, channel_id=PHONE, voice=True))
    assert web["national.nps"] == round(1 / 9, 12)
    assert phone == {"national.nps": 0.25, "national.transaction-smooth": 0.75}


def test_all_weights_zero_falls_back_to_the_standard_question() -> None:
    rules = [WeightRule(p.question_id, 0.0) for p in POOL]
    assert chances(build_table(POOL, rules, service_id=SERVICE, channel_id=None, voice=False)) == {
        "national.transaction-smooth": 1.0}
    assert chances(build_table(POOL, rules, service_id=SERVICE, channel_id=PHONE, voice=True)) == {
        "national.nps": 1.0}
    with pytest.raises(LookupError, match="give at least one question a positive weight"):
        build_table([q("city.own")], [WeightRule("city.own", 0.0)], service_id=SERVICE, channel_id=None,
                    voice=False)


@pytest.mark.parametrize("weight", [-1.0, float("nan"), float("inf"), 1000.5, 5e-324, 0.0009])
def test_bad_weights_are_refused_with_the_allowed_range(weight: float) -> None:
    with pytest.raises(ValueError, match=r"a weight must be 0 \(takes the question out of the rotation\) or a "
                                         r"number from 0.001 to 1000; got"):
        check_weight(weight)


weights_strategy = st.one_of(st.just(0.0), st.floats(min_value=0.001, max_value=1000.0))


@given(st.lists(weights_strategy, min_size=1, max_size=12))
def test_probabilities_are_exactly_the_share_of_the_weight(weights: list[float]) -> None:
    pool = [q(f"own.q{i}", weight=w) for i, w in enumerate(weights)]
    if not any(w > 0 for w in weights):
        pool.append(q("national.transaction-smooth", weight=0.0))
    table = build_table(pool, [], service_id=SERVICE, channel_id=None, voice=False)
    total = sum(w for w in weights if w > 0)
    assert abs(sum(c.probability for c in table.candidates) - 1.0) < 1e-9
    for candidate in table.candidates:
        assert candidate.probability > 0
        if total > 0:
            assert candidate.probability == pytest.approx(candidate.weight / total, rel=1e-9)


@given(st.integers(min_value=0, max_value=2**32))
def test_the_same_seed_draws_the_same_questions(seed: int) -> None:
    table = build_table(POOL, [], service_id=SERVICE, channel_id=None, voice=False)
    first = [table.pick(random.Random(seed)).question.question_id for _ in range(5)]
    again = [table.pick(random.Random(seed)).question.question_id for _ in range(5)]
    assert first == again


@pytest.mark.parametrize("seed", [1, 2026, 424242])
def test_draw_frequencies_follow_the_weights(seed: int) -> None:
    """Chi-square goodness of fit at alpha = 1e-6 over 200 000 seeded draws."""
    rules = [WeightRule("national.recommend", 0.25), WeightRule("national.found-easily", 4.0),
             WeightRule("national.language-clear", 0.0)]
    table = build_table(POOL, rules, service_id=SERVICE, channel_id=WEB, voice=False)
    rng = random.Random(seed)
    draws = 200_000
    index = {c.question.question_id: i for i, c in enumerate(table.candidates)}
    observed = [0] * len(table.candidates)
    for _ in range(draws):
        observed[index[table.pick(rng).question.question_id]] += 1
    expected = [c.probability * draws for c in table.candidates]
    assert "national.language-clear" not in index
    assert stats.chisquare(observed, expected).pvalue > ALPHA


def test_a_biased_draw_is_caught_by_the_same_test() -> None:
    """The test has power: a draw that ignores one question's weight fails it."""
    table = build_table(POOL, [], service_id=SERVICE, channel_id=WEB, voice=False)
    rng = random.Random(7)
    draws = 200_000
    observed = [0] * len(table.candidates)
    for _ in range(draws):
        observed[rng.randrange(len(table.candidates))] += 1  # uniform, ignoring city.own's double weight
    expected = [c.probability * draws for c in table.candidates]
    assert stats.chisquare(observed, expected).pvalue < ALPHA
