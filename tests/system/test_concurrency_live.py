"""Every mutation sent by 8 clients at once to the real app under uvicorn with 2 workers on PostgreSQL.

Each answer is coded (HTTP 200/4xx, every error with ``extensions.code``, never INTERNAL_ERROR or a 5xx) and the
database is consistent afterwards (one row where the request was an idempotent upsert, consecutive numbers where
each request makes the next one, exactly one winner where only one may win).

Runs on its own database ``<ARVIO_TEST_POSTGRES_URL's database>_live``, created and dropped here; skipped without
PostgreSQL unless ``ARVIO_TEST_REQUIRE_POSTGRES=1``. About 20 s.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from federation.audit.models import AuditEvent
from federation.auth.models import Role
from federation.auth.tokens import issue_token
from federation.battery.models import Question, QuestionVersion, QuestionWeight
from federation.db import Database
from federation.feedback.models import FeedbackNote, FeedbackState, FeedbackThemeSetting
from federation.migrate import migrate
from federation.notify.models import NotificationSubscription
from federation.pages.models import Page, PageAnswer, PageAnswerHourly
from federation.publication.models import Publication
from federation.ratings.models import Rating, SealedTicketKey
from federation.ratings.tickets import TicketKey as Key
from federation.ratings.tickets import mint_ticket
from federation.registry.kinds import ChannelType
from federation.registry.models import Channel, Organisation, Service, ServiceChannel, ServiceOrganisation
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from federation.research.models import RegisteredResearcher
from federation.research.researchers import register_researcher
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from tests.conftest import CHANNEL_A, ORG_A, ORG_B, SERVICE_A, SERVICE_B, TEST_KEY
from tests.live import free_port

CLIENTS = 8
WORKERS = 2
ROOT = Path(__file__).resolve().parents[2]
NEW_ORG = "2000002-4"
NEW_SERVICE = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
NEW_CHANNEL = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"


@dataclass
class Live:
    """The served app, its database and tokens."""

    url: str
    database: Database
    tokens: dict[str, str]

    def gql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = self.send(httpx.Client(), query, variables, token)[1]
        assert "errors" not in body, body
        return body

    def send(self, client: httpx.Client, query: str, variables: dict[str, Any] | None,
             token: str | None) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.tokens[token]}"} if token else {}
        response = client.post(f"{self.url}/graphql", json={"query": query, "variables": variables},
                               headers=headers, timeout=60)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"raw": response.text}

    def count(self, model: Any, *where: Any) -> int:
        with self.database.session() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _live_url() -> str:
    base = os.environ.get("ARVIO_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("ARVIO_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("ARVIO_TEST_POSTGRES_URL is not set but PostgreSQL is required (ci)")
        pytest.skip("PostgreSQL not configured: set ARVIO_TEST_POSTGRES_URL (bash .ci/run does)")
    url = make_url(base)
    name = f"{url.database}_live"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _seed(database: Database, now: dt.datetime) -> dict[str, str]:
    with database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("A"), now=now)
        upsert_organisation(session, ORG_B, Names("B"), now=now)
        session.flush()
        upsert_service(session, SERVICE_A, Names("Palvelu A"), now=now, organisation_ids=(ORG_A,))
        upsert_service(session, SERVICE_B, Names("Palvelu B"), now=now, organisation_ids=(ORG_B,))
        session.flush()
        upsert_channel(session, CHANNEL_A, ChannelType.ECHANNEL, Names("Verkko"), now=now, service_ids=(SERVICE_A,))
        register_researcher(session, "researcher", actor="test", now=now)
        return {name: issue_token(session, role=role, label=name, now=now, organisation_id=org)[0]
                  for name, role, org in (("admin", Role.ADMIN, None), ("org_a", Role.ORGANISATION, ORG_A),
                                          ("researcher", Role.RESEARCHER, None))}


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("uvicorn exited during start-up")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("uvicorn did not become healthy in 30 s")


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    """arvio under ``uvicorn --workers 2`` on a fresh PostgreSQL database."""
    url = _live_url()
    database = Database(Settings(database_url=url, environment="test"))
    migrate(database)
    tokens = _seed(database, dt.datetime.now(dt.UTC))
    port = free_port()
    env = {**os.environ, "ARVIO_DATABASE_URL": url, "ARVIO_ENV": "test", "ARVIO_RATE_LIMIT_PER_MINUTE": "100000",
           "ARVIO_MASTER_KEY": KeyRing((TEST_KEY,)).to_json(), "ARVIO_PUBLICATION_THRESHOLD": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "schema.wiring:asgi", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(WORKERS), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", process)
        yield Live(f"http://127.0.0.1:{port}", database, tokens)
    finally:
        process.terminate()
        process.wait(timeout=20)
        database.dispose()


def at_once(live: Live, query: str, variables: dict[str, Any] | None, token: str | None) -> list[dict[str, Any]]:
    """The same request from CLIENTS clients released together; every answer must be coded."""
    start = threading.Barrier(CLIENTS)

    def one(_: int) -> tuple[int, dict[str, Any]]:
        with httpx.Client() as client:
            start.wait()
            return live.send(client, query, variables, token)

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(one, range(CLIENTS)))
    for status, body in answers:
        assert status < 500 and (status == 200 or body.get("errors")), (status, body)
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            assert code and code != "INTERNAL_ERROR", (query, error)
    return [body for _, body in answers]


def winners(answers: list[dict[str, Any]]) -> int:
    return sum(1 for body in answers if not body.get("errors"))


def codes(answers: list[dict[str, Any]]) -> set[str]:
    return {e["extensions"]["code"] for body in answers for e in body.get("errors") or []}


WORDING = {"fi": "Saitko apua?", "sv": "Fick du hjälp?", "en": "Did you get help?"}
ANSWER = "status code receipt"


def _recent() -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()


def _rating(client_ref: str) -> dict[str, Any]:
    return {"clientRef": client_ref, "serviceId": SERVICE_A, "questionId": "national.transaction-smooth",
            "answeredAt": _recent(), "channelId": CHANNEL_A, "value": 4}


def submit_ratings(live: Live) -> None:
    answers = at_once(live, "mutation($i: SubmitRatingsInput!) { submitRatings(input: $i) { accepted duplicates } }",
                      {"i": {"ratings": [_rating("live-1")]}}, "org_a")
    assert sum(b["data"]["submitRatings"]["accepted"] for b in answers) == 1
    assert live.count(Rating, Rating.client_ref == "live-1") == 1


def register_organisation(live: Live) -> None:
    answers = at_once(live, "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { "
                            "businessId } }",
                      {"i": {"businessId": NEW_ORG, "names": {"fi": "Uusi"}}}, "admin")
    assert winners(answers) == CLIENTS
    assert live.count(Organisation, Organisation.business_id == NEW_ORG) == 1


def register_service(live: Live) -> None:
    answers = at_once(live, "mutation($i: RegisterServiceInput!) { registerService(input: $i) { id } }",
                      {"i": {"id": NEW_SERVICE, "names": {"fi": "Uusi"}, "organisations": [ORG_A]}}, "admin")
    assert winners(answers) == CLIENTS
    assert live.count(Service, Service.id == NEW_SERVICE) == 1
    assert live.count(ServiceOrganisation, ServiceOrganisation.service_id == NEW_SERVICE) == 1


def register_channel(live: Live) -> None:
    answers = at_once(live, "mutation($i: RegisterChannelInput!) { registerChannel(input: $i) { id } }",
                      {"i": {"id": NEW_CHANNEL, "channelType": "PHONE", "names": {"fi": "Puhelin"},
                             "services": [SERVICE_A]}}, "admin")
    assert winners(answers) == CLIENTS
    assert live.count(Channel, Channel.id == NEW_CHANNEL) == 1
    assert live.count(ServiceChannel, ServiceChannel.channel_id == NEW_CHANNEL) == 1


def issue_token_case(live: Live) -> None:
    answers = at_once(live, "mutation($i: IssueTokenInput!) { issueToken(input: $i) { id } }",
                      {"i": {"role": "PUBLISHER", "label": "live-publisher"}}, "admin")
    assert len({b["data"]["issueToken"]["id"] for b in answers}) == CLIENTS


def revoke_token(live: Live) -> None:
    issued = live.gql("mutation { issueToken(input: {role: PUBLISHER, label: \"x\"}) { id } }", token="admin")
    at_once(live, "mutation($id: Int!) { revokeToken(id: $id) }", {"id": issued["data"]["issueToken"]["id"]}, "admin")


DRAFT = "mutation($p: String!) { createPublicationDraft(input: {period: $p}) { number period } }"


def create_publication_draft(live: Live) -> None:
    answers = at_once(live, DRAFT, {"p": "2026Q1"}, "admin")
    assert winners(answers) == 1 and codes(answers) == {"DRAFT_EXISTS"}
    (label,) = {b["data"]["createPublicationDraft"]["period"] for b in answers if not b.get("errors")}
    assert live.count(Publication, Publication.period == label) == 1


def publish_publication(live: Live) -> None:
    number = live.gql(DRAFT, {"p": "2026Q2"}, token="admin")["data"]["createPublicationDraft"]["number"]
    answers = at_once(live, "mutation($n: Int!) { publishPublication(number: $n) { status } }", {"n": number},
                      "admin")
    assert winners(answers) == 1 and codes(answers) == {"ALREADY_PUBLISHED"}


def discard_publication_draft(live: Live) -> None:
    number = live.gql(DRAFT, {"p": "2026Q3"}, token="admin")["data"]["createPublicationDraft"]["number"]
    answers = at_once(live, "mutation($n: Int!) { discardPublicationDraft(number: $n) }", {"n": number}, "admin")
    assert winners(answers) == 1 and codes(answers) == {"UNKNOWN_PUBLICATION"}
    assert live.count(Publication, Publication.number == number) == 0


def erase_respondent(live: Live) -> None:
    at_once(live, "mutation($i: EraseRespondentInput!) { eraseRespondent(input: $i) { ratingsDeleted } }",
            {"i": {"personalIdentifier": "131052-308T"}}, "org_a")


def _ticket_and_draw(live: Live) -> tuple[str, str]:
    rotated = live.gql("mutation { rotateTicketKey { key } }", token="org_a")["data"]["rotateTicketKey"]["key"]
    ticket = mint_ticket(Key.parse(rotated), service_id=SERVICE_A, channel_id=CHANNEL_A,
                         now=dt.datetime.now(dt.UTC), lifetime=dt.timedelta(hours=1))
    drawn = httpx.get(f"{live.url}/widget/draw", params={"service": SERVICE_A, "channel": CHANNEL_A}).json()
    return ticket, str(drawn["drawId"])


def answer_question(live: Live) -> None:
    ticket, draw_id = _ticket_and_draw(live)
    before = live.count(Rating)
    answers = at_once(live, "mutation($i: AnswerQuestionInput!) { answerQuestion(input: $i) { %s } }" % ANSWER,
                      {"i": {"drawId": draw_id, "ticket": ticket, "value": 4}}, None)
    assert [b["data"]["answerQuestion"]["status"] for b in answers].count("ACCEPTED") == 1
    assert live.count(Rating) == before + 1


def send_follow_up(live: Live) -> None:
    ticket, draw_id = _ticket_and_draw(live)
    live.gql("mutation($i: AnswerQuestionInput!) { answerQuestion(input: $i) { status } }",
             {"i": {"drawId": draw_id, "ticket": ticket, "value": 2}})
    answers = at_once(live, "mutation($i: SendFollowUpInput!) { sendFollowUp(input: $i) { %s } }" % ANSWER,
                      {"i": {"drawId": draw_id, "ticket": ticket, "drivers": ["ease"]}}, None)
    assert [b["data"]["sendFollowUp"]["status"] for b in answers].count("ACCEPTED") == 1


def define_question(live: Live) -> None:
    answers = at_once(live, "mutation($i: DefineQuestionInput!) { defineQuestion(input: $i) { id } }",
                      {"i": {"questionId": "live.helped", "scale": "YES_NO", "wording": WORDING}}, "org_a")
    assert winners(answers) == 1 and codes(answers) == {"QUESTION_EXISTS"}
    assert live.count(Question, Question.id == "live.helped") == 1


def reword_question(live: Live) -> None:
    answers = at_once(live, "mutation($i: RewordQuestionInput!) { rewordQuestion(input: $i) { wordingVersion } }",
                      {"i": {"questionId": "live.helped", "wording": WORDING}}, "org_a")
    assert sorted(b["data"]["rewordQuestion"]["wordingVersion"] for b in answers) == list(range(2, CLIENTS + 2))
    assert live.count(QuestionVersion, QuestionVersion.question_id == "live.helped") == CLIENTS + 1


def retire_question(live: Live) -> None:
    answers = at_once(live, "mutation { retireQuestion(questionId: \"live.helped\") { id } }", None, "org_a")
    assert winners(answers) == CLIENTS


def set_question_weight(live: Live) -> None:
    answers = at_once(live, "mutation($i: SetQuestionWeightInput!) { setQuestionWeight(input: $i) { weight } }",
                      {"i": {"questionId": "national.nps", "weight": 2, "serviceId": SERVICE_A}}, "org_a")
    assert winners(answers) == CLIENTS
    assert live.count(QuestionWeight, QuestionWeight.organisation_id == ORG_A,
                      QuestionWeight.question_id == "national.nps") == 1


def rotate_ticket_key(live: Live) -> None:
    before = live.count(SealedTicketKey, SealedTicketKey.organisation_id == ORG_B)
    answers = at_once(live, "mutation { rotateTicketKey(organisationId: \"%s\") { version } }" % ORG_B, None,
                      "admin")
    assert sorted(b["data"]["rotateTicketKey"]["version"] for b in answers) == list(range(before + 1,
                                                                                       before + CLIENTS + 1))


def attach_follow_up(live: Live) -> None:
    live.gql("mutation($i: SubmitRatingsInput!) { submitRatings(input: $i) { accepted } }",
             {"i": {"ratings": [_rating("live-attach")]}}, token="org_a")
    answers = at_once(live, "mutation($i: AttachFollowUpInput!) { attachFollowUp(input: $i) { %s } }" % ANSWER,
                      {"i": {"clientRef": "live-attach", "drivers": ["ease"]}}, "org_a")
    assert [b["data"]["attachFollowUp"]["status"] for b in answers].count("ACCEPTED") == 1


def report_service_volumes(live: Live) -> None:
    day = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).date().isoformat()
    answers = at_once(live, "mutation($i: ReportServiceVolumesInput!) { reportServiceVolumes(input: $i) { "
                            "accepted duplicates } }",
                      {"i": {"volumes": [{"serviceId": SERVICE_A, "channelId": CHANNEL_A, "day": day,
                                          "transactionsCompleted": 10}]}}, "org_a")
    assert sum(b["data"]["reportServiceVolumes"]["accepted"] for b in answers) == 1


EVENT = "mutation($i: RecordServiceEventInput!) { recordServiceEvent(input: $i) { id } }"
EVENT_INPUT = {"i": {"serviceId": SERVICE_A, "occurredOn": "2026-01-15", "description": {"fi": "Uusi lomake"}}}


def record_service_event(live: Live) -> None:
    answers = at_once(live, EVENT, EVENT_INPUT, "org_a")
    assert len({b["data"]["recordServiceEvent"]["id"] for b in answers}) == CLIENTS


def delete_service_event(live: Live) -> None:
    event_id = live.gql(EVENT, EVENT_INPUT, token="org_a")["data"]["recordServiceEvent"]["id"]
    answers = at_once(live, "mutation($id: ID!) { deleteServiceEvent(id: $id) }", {"id": event_id}, "org_a")
    assert winners(answers) == 1 and codes(answers) == {"UNKNOWN_EVENT"}


def set_research_budget(live: Live) -> None:
    at_once(live, "mutation($i: SetResearchBudgetInput!) { setResearchBudget(input: $i) { cap } }",
            {"i": {"researcherLabel": "researcher", "cap": 1.5}}, "admin")


def register_researcher_case(live: Live) -> None:
    answers = at_once(live, "mutation($n: String!) { registerResearcher(name: $n) { key } }",
                      {"n": "  Maija  MEIKÄLÄINEN "}, "admin")
    assert {b["data"]["registerResearcher"]["key"] for b in answers} == {"maija meikäläinen"}
    assert live.count(RegisteredResearcher, RegisteredResearcher.key == "maija meikäläinen") == 1


FEEDBACK_ATTACH = "mutation($i: AttachFollowUpInput!) { attachFollowUp(input: $i) { status } }"


def _feedback_item(live: Live, ref: str) -> str:
    """A rating with a follow-up (drivers and a free text) of organisation A; its feedback id."""
    live.gql("mutation($i: SubmitRatingsInput!) { submitRatings(input: $i) { accepted } }",
             {"i": {"ratings": [_rating(ref)]}}, token="org_a")
    live.gql(FEEDBACK_ATTACH, {"i": {"clientRef": ref, "drivers": ["ease"], "text": "Jonoa oli"}}, token="org_a")
    with live.database.session() as session:
        return str(session.scalar(select(Rating.id).where(Rating.client_ref == ref)))


def set_feedback_status(live: Live) -> None:
    item = _feedback_item(live, "live-feedback-status")
    answers = at_once(live, "mutation($id: ID!) { setFeedbackStatus(id: $id, status: IN_PROGRESS) { status } }",
                      {"id": item}, "org_a")
    assert winners(answers) == CLIENTS  # one moves it, the others find it there already
    assert live.count(AuditEvent, AuditEvent.action == "feedback.status", AuditEvent.subject == item) == 1


def assign_feedback(live: Live) -> None:
    item = _feedback_item(live, "live-feedback-assign")
    answers = at_once(live, "mutation($id: ID!) { assignFeedback(id: $id, handler: \"Maija\") { handler } }",
                      {"id": item}, "org_a")
    assert winners(answers) == CLIENTS
    assert live.count(FeedbackState, FeedbackState.rating_id == int(item)) == 1


def add_feedback_note(live: Live) -> None:
    item = _feedback_item(live, "live-feedback-note")
    answers = at_once(live, "mutation($id: ID!) { addFeedbackNote(id: $id, text: \"Soitettu\") { text } }",
                      {"id": item}, "org_a")
    assert winners(answers) == CLIENTS
    assert live.count(FeedbackNote, FeedbackNote.rating_id == int(item)) == CLIENTS


FEEDBACK_REPLY = """mutation($i: PublishFeedbackReplyInput!) { publishFeedbackReply(input: $i) { id } }"""


def publish_feedback_reply(live: Live) -> None:
    item = _feedback_item(live, "live-feedback-reply")
    answers = at_once(live, FEEDBACK_REPLY, {"i": {"feedbackId": item, "text": "Kiitos", "language": "FI"}},
                      "org_a")
    assert winners(answers) == CLIENTS
    assert live.count(FeedbackState, FeedbackState.rating_id == int(item), FeedbackState.status == "ANSWERED") == 1


def withdraw_feedback_reply(live: Live) -> None:
    item = _feedback_item(live, "live-feedback-withdraw")
    reply = live.gql(FEEDBACK_REPLY, {"i": {"feedbackId": item, "text": "Kiitos", "language": "FI"}},
                     token="org_a")["data"]["publishFeedbackReply"]["id"]
    answers = at_once(live, "mutation($id: ID!) { withdrawFeedbackReply(id: $id) { id } }", {"id": reply}, "org_a")
    assert winners(answers) == 1 and codes(answers) == {"REPLY_WITHDRAWN"}


SUBSCRIBE = """mutation($i: SubscribeEmailInput!) { subscribeEmail(input: $i) { id } }"""
WEBHOOK = """mutation($i: AddWebhookInput!) { addWebhook(input: $i) { subscription { id } } }"""


def _subscriptions(live: Live, channel: str) -> int:
    return live.count(NotificationSubscription, NotificationSubscription.organisation_id == ORG_A,
                      NotificationSubscription.channel == channel)


def subscribe_email(live: Live) -> None:
    before = _subscriptions(live, "EMAIL")
    answers = at_once(live, SUBSCRIBE, {"i": {"address": "palaute@example.fi", "digest": "DAILY"}}, "org_a")
    assert winners(answers) == 1 and codes(answers) == {"SUBSCRIPTION_EXISTS"}
    assert _subscriptions(live, "EMAIL") == before + 1


def add_webhook(live: Live) -> None:
    before = _subscriptions(live, "WEBHOOK")
    answers = at_once(live, WEBHOOK, {"i": {"url": "https://hooks.example.fi/arvio", "alertKinds": ["SCORE_DROP"]}},
                      "org_a")
    assert winners(answers) == 1 and codes(answers) == {"SUBSCRIPTION_EXISTS"}
    assert _subscriptions(live, "WEBHOOK") == before + 1


def delete_notification_subscription(live: Live) -> None:
    made = live.gql(SUBSCRIBE, {"i": {"address": "poistettava@example.fi"}}, token="org_a")
    before = _subscriptions(live, "EMAIL")
    answers = at_once(live, "mutation($id: ID!) { deleteNotificationSubscription(id: $id) }",
                      {"id": made["data"]["subscribeEmail"]["id"]}, "org_a")
    assert winners(answers) == 1 and codes(answers) == {"UNKNOWN_SUBSCRIPTION"}
    assert _subscriptions(live, "EMAIL") == before - 1


THEME_SETTINGS = "{ key label mergedInto }"


def _theme_setting(live: Live, key: str, *where: Any) -> int:
    return live.count(FeedbackThemeSetting, FeedbackThemeSetting.organisation_id == ORG_A,
                      FeedbackThemeSetting.theme_key == key, *where)


def rename_feedback_theme(live: Live) -> None:
    answers = at_once(live, f'mutation {{ renameFeedbackTheme(key: "queueing", label: "Jonot") {THEME_SETTINGS} }}',
                      None, "org_a")
    assert winners(answers) == CLIENTS  # the same label, eight times: one setting
    assert _theme_setting(live, "queueing", FeedbackThemeSetting.label == "Jonot") == 1


def merge_feedback_themes(live: Live) -> None:
    answers = at_once(live, f'mutation {{ mergeFeedbackThemes(key: "phone_reachability", into: "queueing") '
                            f"{THEME_SETTINGS} }}", None, "org_a")
    assert winners(answers) >= 1 and codes(answers) <= {"THEME_MERGED"}
    assert _theme_setting(live, "phone_reachability", FeedbackThemeSetting.merged_into == "queueing") == 1


def reset_feedback_theme(live: Live) -> None:
    live.gql('mutation { renameFeedbackTheme(key: "opening_hours", label: "Aukiolo") { key } }', token="org_a")
    answers = at_once(live, f'mutation {{ resetFeedbackTheme(key: "opening_hours") {THEME_SETTINGS} }}', None,
                      "org_a")
    assert winners(answers) == CLIENTS
    assert _theme_setting(live, "opening_hours") == 0


REGISTER_PAGES = "mutation($p: [PageInput!]!) { registerPages(pages: $p) { id retiredAt } }"


def register_pages(live: Live) -> None:
    url = "https://www.example.fi/live/sivu"
    answers = at_once(live, REGISTER_PAGES, {"p": [{"url": url, "serviceId": SERVICE_A}]}, "org_a")
    assert winners(answers) == CLIENTS  # the same page eight times: one row, the same id for all
    assert len({b["data"]["registerPages"][0]["id"] for b in answers}) == 1
    assert live.count(Page, Page.organisation_id == ORG_A, Page.url == url) == 1
    _one_answer_per_ref(live, url)


def _one_answer_per_ref(live: Live, url: str) -> None:
    """The citizen's answer sent eight times at once with one ref: one ACCEPTED, the rest DUPLICATE, counted once."""
    start = threading.Barrier(CLIENTS)
    body = {"organisation": ORG_A, "url": url, "ref": "live-page-answer-0001", "useful": False}

    def one(_: int) -> tuple[int, dict[str, Any]]:
        with httpx.Client() as client:
            start.wait()
            response = client.post(f"{live.url}/pages/answer", json=body, timeout=60,
                                   headers={"Origin": "https://www.example.fi"})
            return response.status_code, response.json()

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(one, range(CLIENTS)))
    assert {status for status, _ in answers} == {200}, answers
    assert sorted(b["status"] for _, b in answers) == ["ACCEPTED"] + ["DUPLICATE"] * (CLIENTS - 1)
    assert live.count(PageAnswer, PageAnswer.organisation_id == ORG_A) == 1
    with live.database.session() as session:
        assert session.scalar(select(func.sum(PageAnswerHourly.no))) == 1


def retire_pages(live: Live) -> None:
    made = live.gql(REGISTER_PAGES, {"p": [{"url": "https://www.example.fi/live/vanha"}]}, token="org_a")
    page_id = made["data"]["registerPages"][0]["id"]
    answers = at_once(live, "mutation($i: [ID!]!) { retirePages(ids: $i) { retiredAt } }", {"i": [page_id]},
                      "org_a")
    assert winners(answers) == CLIENTS  # idempotent: every client sees the page retired, at one moment
    assert len({b["data"]["retirePages"][0]["retiredAt"] for b in answers}) == 1
    assert live.count(Page, Page.id == int(page_id), Page.retired_at.is_not(None)) == 1

CASES: dict[str, Callable[[Live], None]] = {
    "submitRatings": submit_ratings, "registerOrganisation": register_organisation,
    "registerService": register_service, "registerChannel": register_channel, "issueToken": issue_token_case,
    "revokeToken": revoke_token, "createPublicationDraft": create_publication_draft,
    "publishPublication": publish_publication, "discardPublicationDraft": discard_publication_draft,
    "eraseRespondent": erase_respondent, "answerQuestion": answer_question, "sendFollowUp": send_follow_up,
    "defineQuestion": define_question, "rewordQuestion": reword_question, "retireQuestion": retire_question,
    "setQuestionWeight": set_question_weight, "rotateTicketKey": rotate_ticket_key,
    "attachFollowUp": attach_follow_up, "reportServiceVolumes": report_service_volumes,
    "recordServiceEvent": record_service_event, "deleteServiceEvent": delete_service_event,
    "setResearchBudget": set_research_budget, "registerResearcher": register_researcher_case,
    "setFeedbackStatus": set_feedback_status, "assignFeedback": assign_feedback, "addFeedbackNote": add_feedback_note,
    "publishFeedbackReply": publish_feedback_reply, "withdrawFeedbackReply": withdraw_feedback_reply,
    "subscribeEmail": subscribe_email, "addWebhook": add_webhook,
    "deleteNotificationSubscription": delete_notification_subscription,
    "renameFeedbackTheme": rename_feedback_theme, "mergeFeedbackThemes": merge_feedback_themes,
    "resetFeedbackTheme": reset_feedback_theme,
    "registerPages": register_pages, "retirePages": retire_pages,
}


def test_every_mutation_has_a_case() -> None:
    sdl = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    body = re.search(r"\ntype Mutation \{(.*?)\n\}", sdl, re.S)
    assert body is not None
    assert set(re.findall(r"^  (\w+)\(", body.group(1), re.M)) == set(CASES)


@pytest.mark.parametrize("mutation", list(CASES))
def test_the_same_mutation_from_eight_clients_at_once(live: Live, mutation: str) -> None:
    CASES[mutation](live)
