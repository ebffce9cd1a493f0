"""The organisation client (schema/client/) against arvio served by uvicorn: chunked NDJSON and CSV pushes with
per-line errors, retries after a simulated 503 / 429 (Retry-After honoured), resends that come back as DUPLICATEs
only, volumes, the organisation's own scores, and the ``arvio push`` / ``arvio scores`` commands."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from federation.settings import Settings
from schema.cli.main import main
from schema.client import ArvioClient, ClientError, FileProblem, RetryPolicy
from schema.client.transport import Transport, retry_after_seconds
from schema.wiring import build_app
from tests.conftest import CHANNEL_A, NOW, SERVICE_A, Api
from tests.live import free_port, serve

ANSWERED = (NOW - dt.timedelta(days=1)).isoformat()
DAY = (NOW - dt.timedelta(days=2)).date().isoformat()


class Flaky:
    """ASGI middleware that answers the next POSTs with the planned failures (status, headers) before letting
    requests through to the app, as an overloaded server or proxy would."""

    def __init__(self, app: Any, plan: list[tuple[int, dict[str, str]]]) -> None:
        self.app = app
        self.plan = plan

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and self.plan:
            status, headers = self.plan.pop(0)
            await send({"type": "http.response.start", "status": status,
                        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})
            await send({"type": "http.response.body", "body": b'{"errors":[{"message":"busy"}]}'})
            return
        await self.app(scope, receive, send)


@dataclass
class Served:
    base: str
    token: str
    plan: list[tuple[int, dict[str, str]]]
    waits: list[float] = field(default_factory=list)

    def client(self, attempts: int = 6) -> ArvioClient:
        transport = Transport(self.base, self.token, RetryPolicy(attempts=attempts), sleep=self.waits.append,
                              draw=lambda low, high: high)
        return ArvioClient(self.base, self.token, transport=transport)


@pytest.fixture
def served(api: Api, app_settings: Settings) -> Iterator[Served]:
    plan: list[tuple[int, dict[str, str]]] = []
    app = build_app(app_settings, database=api.database, run_migrations=False, clock=api.clock)
    app.add_middleware(Flaky, plan=plan)
    with serve(app) as base:
        yield Served(base, api.tokens["org_a"], plan)


def rating(ref: str, value: int = 4, **extra: Any) -> dict[str, Any]:
    return {"clientRef": ref, "serviceId": SERVICE_A, "questionId": "national.transaction-smooth", "value": value,
            "answeredAt": ANSWERED, **extra}


def write_ndjson(path: Path, items: list[Any]) -> Path:
    path.write_text("".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items),
                    encoding="utf-8")
    return path


def test_retries_after_503_and_429_then_a_resend_is_only_duplicates(served: Served, tmp_path: Path) -> None:
    path = write_ndjson(tmp_path / "ratings.ndjson", [rating(f"r{i}", 1 + i % 5) for i in range(25)])
    served.plan.extend([(503, {}), (429, {"Retry-After": "2"})])
    steps: list[int] = []
    with served.client() as client:
        first = client.push_ratings(path, chunk=10, rejected_to=tmp_path / "rejected.ndjson", progress=steps.append)
        assert (first.accepted, first.duplicates, first.rejected) == (25, 0, 0)
        assert served.waits == [0.5, 2.0]  # backoff base · 2⁰ after the 503, then the 429's Retry-After
        assert sum(steps) == 25 and not (tmp_path / "rejected.ndjson").exists()
        again = client.push_ratings(path, chunk=7)
        assert (again.accepted, again.duplicates, again.rejected) == (0, 25, 0)
        scores = client.scores(last_days=30, locale="EN")
    own = next(s for s in scores if s.service_id == SERVICE_A)
    assert own.count == 25 and own.mean == pytest.approx(3.0)  # counted once, not twice


def test_rejected_lines_keep_their_line_numbers_and_go_to_a_file(served: Served, tmp_path: Path) -> None:
    path = write_ndjson(tmp_path / "ratings.ndjson", [rating("a"), "{not json", "", rating("b", 9), rating("c")])
    with path.open("ab") as stream:
        stream.write(json.dumps(rating("d")).encode()[:-2] + b'\xff"}\n')
    rejected = tmp_path / "rejected.ndjson"
    with served.client() as client:
        summary = client.push_ratings(path, chunk=2, rejected_to=rejected)
    assert (summary.accepted, summary.duplicates, summary.rejected) == (2, 0, 3)
    assert [(p.line, p.code) for p in summary.problems] == [
        (2, "MALFORMED_ITEM"), (4, "VALUE_OUT_OF_RANGE"), (6, "INVALID_LINE")]
    lines = [json.loads(line) for line in rejected.read_text(encoding="utf-8").splitlines()]
    lines.sort(key=lambda x: int(x["line"]))  # in the order they were found: the file's own errors at once
    assert [(x["line"], x["code"]) for x in lines] == [(2, "MALFORMED_ITEM"), (4, "VALUE_OUT_OF_RANGE"),
                                                       (6, "INVALID_LINE")]
    assert [x["input"] for x in lines[:2]] == ["{not json", json.dumps(rating("b", 9))]
    assert all(x["message"] for x in lines)


def test_csv_ratings_are_converted_with_clear_errors_per_line(served: Served, tmp_path: Path) -> None:
    path = tmp_path / "ratings.csv"
    path.write_text(
        "clientRef,serviceId,questionId,answeredAt,value,skipped,drivers,text\n"
        f"c1,{SERVICE_A},national.transaction-smooth,{ANSWERED},5,,ease;staff,\"Nopeaa, kiitos\"\n"
        f"c2,{SERVICE_A},national.transaction-smooth,{ANSWERED},viisi,,,\n"
        f",{SERVICE_A},national.transaction-smooth,{ANSWERED},3,,,\n"
        f"c4,{SERVICE_A},national.transaction-smooth,{ANSWERED},,true,,\n"
        f"c5,{SERVICE_A},national.transaction-smooth,{ANSWERED},3,maybe,,\n"
        f"c6,{SERVICE_A},national.transaction-smooth,{ANSWERED},{2**40},,,\n", encoding="utf-8")
    with served.client() as client:
        summary = client.push_ratings(path, rejected_to=tmp_path / "rejected.ndjson")
    assert (summary.accepted, summary.rejected) == (2, 4)
    problems = {p.line: (p.code, p.message) for p in summary.problems}
    assert problems[3] == ("INVALID_LINE", "value must be a whole number (digits only).")
    assert "clientRef is empty" in str(problems[4][1])
    assert problems[6] == ("INVALID_LINE", "skipped must be true or false.")
    assert "out of range" in str(problems[7][1])
    with served.client() as client:
        assert client.graphql("{ freeTexts { items { text drivers } } }", {})["freeTexts"]["items"] == [
            {"text": "Nopeaa, kiitos", "drivers": ["ease", "staff"]}]
    (tmp_path / "bad.csv").write_text("clientRef,serviceId\nx,y\n", encoding="utf-8")
    with pytest.raises(FileProblem, match="lacks the column"), served.client() as client:
        client.push_ratings(tmp_path / "bad.csv")


def test_volumes_from_csv_and_ndjson_resend_and_correct(served: Served, tmp_path: Path) -> None:
    csv_path = tmp_path / "volumes.csv"
    csv_path.write_text("serviceId,channelId,day,transactionsCompleted,transactionsStarted,costEur\n"
                        f"{SERVICE_A},{CHANNEL_A},{DAY},212,250,180.5\n"
                        f"{SERVICE_A},{CHANNEL_A},2026-13-40,1,,\n"
                        f"{SERVICE_A},{CHANNEL_A},{DAY},x,,\n", encoding="utf-8")
    served.plan.append((502, {}))
    with served.client() as client:
        first = client.push_volumes(csv_path)
        assert (first.accepted, first.rejected) == (1, 2) and served.waits == [0.5]
        assert [p.line for p in first.problems] == [3, 4] and first.problems[1].code == "INVALID_LINE"
        assert client.push_volumes(csv_path).duplicates == 1
        ndjson = write_ndjson(tmp_path / "volumes.ndjson", [
            {"serviceId": SERVICE_A, "channelId": CHANNEL_A, "day": DAY, "transactionsCompleted": 215,
             "transactionsStarted": 250, "costEur": 180.5},
            {"serviceId": SERVICE_A, "channelId": CHANNEL_A, "day": DAY, "transactionsCompleted": "215"},
            {"serviceId": SERVICE_A, "channelId": CHANNEL_A, "day": DAY, "visits": 3}])
        corrected = client.push_volumes(ndjson)
    assert (corrected.accepted, corrected.corrected, corrected.rejected) == (1, 1, 2)
    assert [p.message for p in corrected.problems] == [
        "transactionsCompleted must be a JSON number, not a string.",
        "unknown field(s) visits; see ServiceVolumeInput in schema.graphql."]


def test_a_server_that_never_answers_is_retried_then_reported(tmp_path: Path) -> None:
    waits: list[float] = []
    base = f"http://127.0.0.1:{free_port()}"
    transport = Transport(base, "arvio_x", RetryPolicy(attempts=3, base=1.0), sleep=waits.append,
                          draw=lambda low, high: high)
    path = write_ndjson(tmp_path / "r.ndjson", [rating("x")])
    with pytest.raises(ClientError, match="did not answer after 3 attempts"), \
            ArvioClient(base, "arvio_x", transport=transport) as client:
        client.push_ratings(path)
    assert waits == [1.0, 2.0]


def test_retry_after_and_backoff_bounds() -> None:
    assert retry_after_seconds("5", now=0) == 5.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:30 GMT", now=10.0) == 20.0
    assert retry_after_seconds("soon", now=0) is None and retry_after_seconds(None, now=0) is None
    policy = RetryPolicy(base=0.5, cap=4.0, longest=60.0)
    assert [policy.wait(n, None, lambda low, high: high) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert policy.wait(0, 10_000.0, lambda low, high: high) == 60.0
    assert policy.wait(0, None, lambda low, high: low) == 0.0
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="http"):
        Transport("127.0.0.1:8000", "t")


def test_the_push_and_scores_commands(served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("ARVIO_TOKEN", raising=False)
    path = write_ndjson(tmp_path / "ratings.ndjson", [rating("cli-1", 5), rating("cli-2", 8)])
    assert main(["push", "ratings", str(path), "--url", served.base, "--quiet"]) == 2
    assert "ARVIO_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("ARVIO_TOKEN", served.token)
    assert main(["push", "ratings", str(path), "--url", served.base, "--quiet"]) == 1
    out = capsys.readouterr().err
    assert "line 2: VALUE_OUT_OF_RANGE" in out and "ratings.ndjson.rejected.ndjson" in out
    assert json.loads((tmp_path / "ratings.ndjson.rejected.ndjson").read_text())["line"] == 2
    fixed = write_ndjson(tmp_path / "fixed.ndjson", [rating("cli-1", 5), rating("cli-2", 4)])
    assert main(["push", "ratings", str(fixed), "--url", served.base, "--quiet"]) == 0
    monkeypatch.setenv("ARVIO_URL", served.base)
    assert main(["scores", "--last-days", "30", "--locale", "en"]) == 0
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if "Library card" in line)
    assert " 2 " in row and "4.50" in row


def test_chunks_are_also_cut_by_size(served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("schema.client.api.MAX_CHUNK_BYTES", 300)  # below one rating line (×2): one per chunk
    path = write_ndjson(tmp_path / "ratings.ndjson", [rating(f"s{i}") for i in range(5)])
    steps: list[int] = []
    with served.client() as client:
        summary = client.push_ratings(path, progress=steps.append)
    assert summary.accepted == 5 and steps == [1, 1, 1, 1, 1]
