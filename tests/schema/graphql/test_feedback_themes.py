"""Feedback themes through GraphQL: counts and shares, bands, candidates, own labels and merges, who may see them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from federation.audit.models import AuditEvent
from tests.conftest import SERVICE_A, SERVICE_B, Api
from tests.schema.graphql.test_ratings import rating, submit

THEMES = """query($band: AnswerBand, $locale: Locale) { feedbackThemes(lastDays: 30, band: $band, locale: $locale) {
  texts themedTexts lowRatedTexts published threshold finnishAnalysis
  themes { key label mergedKeys count share lowRatedCount lowRatedShare published }
  candidates { word count } } }"""
SETTINGS = "query { feedbackThemeSettings(locale: EN) { key label seedLabel ownLabel mergedInto } }"
RENAME = """mutation($key: ID!, $label: String!) { renameFeedbackTheme(key: $key, label: $label, locale: EN) {
  key label ownLabel mergedInto } }"""
MERGE = """mutation($key: ID!, $into: ID!) { mergeFeedbackThemes(key: $key, into: $into) { key mergedInto } }"""
RESET = """mutation($key: ID!) { resetFeedbackTheme(key: $key) { key label ownLabel mergedInto } }"""


def report(api: Api, token: str = "org_a", **variables: Any) -> dict[str, Any]:
    body = api.gql(THEMES, variables, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["feedbackThemes"]
    return result


def theme(result: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in result["themes"] if t["key"] == key)
    return found


def seed(api: Api) -> None:
    low = [rating(f"low{i}", 1, locale="fi", followUp={"text": f"Jonotin {i + 20} minuuttia, remontti sotki kaiken."})
           for i in range(10)]
    high = [rating("high0", 5, locale="en", followUp={"text": "Friendly staff, thanks."}),
            rating("high1", 5, locale="sv", followUp={"text": "Trevlig personal men svårt att nå er per telefon."})]
    submit(api, low + high)
    submit(api, [rating("other", 1, serviceId=SERVICE_B, followUp={"text": "Jonot!"})], token="org_b")


def error_code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def test_themes_count_texts_and_shares_of_all_and_of_low_rated_texts(api: Api) -> None:
    seed(api)
    result = report(api, locale="SV")
    assert (result["texts"], result["themedTexts"], result["lowRatedTexts"]) == (12, 12, 10)
    assert result["published"] is True and result["threshold"] == 10
    assert result["finnishAnalysis"] in {"voikko", "snowball"}
    first = result["themes"][0]
    assert first | {"share": None} == {"key": "queueing", "label": "Köer och väntan", "mergedKeys": [], "count": 10,
                                       "share": None, "lowRatedCount": 10, "lowRatedShare": 1.0, "published": True}
    assert first["share"] == pytest.approx(10 / 12)
    courtesy = theme(result, "staff_courtesy")
    assert (courtesy["count"], courtesy["lowRatedCount"], courtesy["published"]) == (2, 0, False)
    assert theme(result, "phone_reachability")["count"] == 1
    assert theme(result, "accessibility") | {"label": None} == {
        "key": "accessibility", "label": None, "mergedKeys": [], "count": 0, "share": 0.0, "lowRatedCount": 0,
        "lowRatedShare": 0.0, "published": False}


def test_a_band_limits_the_texts_counted(api: Api) -> None:
    seed(api)
    result = report(api, band="POSITIVE")
    assert (result["texts"], result["themedTexts"], result["lowRatedTexts"], result["published"]) == (12, 2, 0, False)
    assert theme(result, "queueing")["count"] == 0
    assert theme(result, "staff_courtesy")["lowRatedShare"] is None


def test_frequent_words_outside_the_themes_are_candidates(api: Api) -> None:
    seed(api)
    candidates = report(api)["candidates"]
    assert {"word": "remontti", "count": 10} in candidates
    assert all(c["count"] >= 10 for c in candidates)


def test_own_labels_and_merges_shape_the_report(api: Api) -> None:
    seed(api)
    assert api.gql(RENAME, {"key": "queueing", "label": "  Asiakasjonot  "}, token="org_a")["data"][
        "renameFeedbackTheme"][0] == {"key": "queueing", "label": "Asiakasjonot", "ownLabel": True,
                                      "mergedInto": None}
    merged = api.gql(MERGE, {"key": "phone_reachability", "into": "queueing"}, token="org_a")
    assert {"key": "phone_reachability", "mergedInto": "queueing"} in merged["data"]["mergeFeedbackThemes"]
    result = report(api, locale="EN")
    first = result["themes"][0]
    assert (first["label"], first["mergedKeys"], first["count"]) == ("Asiakasjonot", ["phone_reachability"], 11)
    assert "phone_reachability" not in {t["key"] for t in result["themes"]}
    assert report(api, token="org_b")["themes"][0]["label"] == "Jonotus ja odotus"  # org_b keeps the seed labels


def test_merging_into_a_merged_theme_is_refused_and_merged_themes_move_along(api: Api) -> None:
    assert "errors" not in api.gql(MERGE, {"key": "phone_reachability", "into": "queueing"}, token="org_a")
    refused = api.gql(MERGE, {"key": "costs_fees", "into": "phone_reachability"}, token="org_a")
    assert error_code(refused) == "THEME_MERGED"
    assert "errors" not in api.gql(MERGE, {"key": "queueing", "into": "opening_hours"}, token="org_a")
    settings = {s["key"]: s for s in api.gql(SETTINGS, token="org_a")["data"]["feedbackThemeSettings"]}
    assert settings["phone_reachability"]["mergedInto"] == "opening_hours"
    assert settings["queueing"]["mergedInto"] == "opening_hours"
    assert settings["queueing"]["seedLabel"] == "Queueing and waiting"
    reset = api.gql(RESET, {"key": "queueing"}, token="org_a")["data"]["resetFeedbackTheme"]
    assert {"key": "queueing", "label": "Jonotus ja odotus", "ownLabel": False, "mergedInto": None} in reset


@pytest.mark.parametrize(("query", "variables", "code"), [
    (RENAME, {"key": "no_such_theme", "label": "X"}, "UNKNOWN_THEME"),
    (RENAME, {"key": "queueing", "label": "   "}, "INVALID_THEME_LABEL"),
    (RENAME, {"key": "queueing", "label": "x" * 81}, "INVALID_THEME_LABEL"),
    (RENAME, {"key": "queueing", "label": "Jonot\u200b"}, "INVALID_THEME_LABEL"),
    (RENAME, {"key": "queueing", "label": "Jonot 131052-308T"}, "INVALID_THEME_LABEL"),
    (MERGE, {"key": "queueing", "into": "queueing"}, "THEME_MERGE_INTO_ITSELF"),
    (MERGE, {"key": "queueing", "into": "x" * 10_000}, "UNKNOWN_THEME"),
    (RESET, {"key": ""}, "UNKNOWN_THEME"),
])
def test_bad_input_is_refused_with_a_code(api: Api, query: str, variables: dict[str, Any], code: str) -> None:
    body = api.gql(query, variables, token="org_a")
    assert error_code(body) == code
    assert "131052" not in str(body)


def test_only_organisations_see_their_own_themes(api: Api) -> None:
    seed(api)
    assert report(api, token="org_b")["texts"] == 1
    for token, expected in (("admin", "FORBIDDEN"), ("publisher", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        assert error_code(api.gql(THEMES, {}, token=token)) == expected
        assert error_code(api.gql(RESET, {"key": "queueing"}, token=token)) == expected


def test_reads_and_changes_are_audited_without_the_label(api: Api) -> None:
    seed(api)
    report(api)
    api.gql(RENAME, {"key": "queueing", "label": "Salainen nimi"}, token="org_a")
    with api.database.transaction(write=False) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("feedback_theme.%"))).all()
    by_action = {e.action: e.detail for e in events}
    assert by_action["feedback_theme.read"]["count"] == 12
    assert by_action["feedback_theme.rename"] == {"theme": "queueing"}
    assert "Salainen" not in str([e.detail for e in events])


def test_window_arguments_are_checked(api: Api) -> None:
    body = api.gql("query { feedbackThemes(lastDays: 0) { texts } }", token="org_a")
    assert error_code(body) == "EMPTY_WINDOW"
    body = api.gql('query { feedbackThemes(lastDays: 5, from: "2026-01-01T00:00:00Z") { texts } }', token="org_a")
    assert error_code(body) == "AMBIGUOUS_WINDOW"
    body = api.gql(f'query {{ feedbackThemes(serviceId: "{SERVICE_A}") {{ texts }} }}', token="org_a")
    assert body["data"]["feedbackThemes"]["texts"] == 0


INBOX = """query($theme: ID, $first: Int!, $after: ID) { freeTexts(theme: $theme, first: $first, after: $after,
  from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") { items { text themes } endCursor hasMore } }"""


def inbox(api: Api, **variables: Any) -> dict[str, Any]:
    body = api.gql(INBOX, {"first": 50} | variables, token="org_a")
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["freeTexts"]
    return result


def test_free_texts_carry_their_themes_and_filter_by_theme_with_merges(api: Api) -> None:
    seed(api)
    swedish = "Trevlig personal men svårt att nå er per telefon."
    every = {i["text"]: i["themes"] for i in inbox(api)["items"]}
    assert every["Jonotin 20 minuuttia, remontti sotki kaiken."] == ["queueing"]
    assert every[swedish] == ["phone_reachability", "staff_courtesy"]
    assert [i["text"] for i in inbox(api, theme="phone_reachability")["items"]] == [swedish]
    api.gql(MERGE, {"key": "phone_reachability", "into": "queueing"}, token="org_a")
    assert len(inbox(api, theme="queueing")["items"]) == 11
    assert len(inbox(api, theme="phone_reachability")["items"]) == 11  # a merged theme asks for its target
    assert {i["text"]: i["themes"] for i in inbox(api)["items"]}[swedish] == ["queueing", "staff_courtesy"]


def test_a_filtered_page_pages_on_by_the_texts_read(api: Api) -> None:
    seed(api)
    seen: list[dict[str, Any]] = []
    cursor, pages = None, 0
    while True:
        page = inbox(api, theme="queueing", first=5, after=cursor)
        seen, cursor, pages = seen + page["items"], page["endCursor"], pages + 1
        assert len(page["items"]) <= 5
        if not page["hasMore"]:
            break
    assert pages == 3  # 12 texts read five at a time
    assert len(seen) == 10 and all(i["themes"] == ["queueing"] for i in seen)


def test_an_unknown_theme_filter_is_refused(api: Api) -> None:
    assert error_code(api.gql(INBOX, {"first": 5, "theme": "nope"}, token="org_a")) == "UNKNOWN_THEME"


def test_theme_reads_are_costly_so_one_operation_holds_only_a_few(api: Api) -> None:
    aliases = " ".join(f"t{i}: feedbackThemes {{ texts }}" for i in range(8))
    assert error_code(api.gql(f"query {{ {aliases} }}", token="org_a", expect_status=400)) == "QUERY_TOO_COSTLY"
