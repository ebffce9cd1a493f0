"""``ArvioClient``: an organisation's own client of arvio — push ratings and volumes from files, read its scores.

```python
from schema.client import ArvioClient
with ArvioClient("http://127.0.0.1:8000", token) as client:
    summary = client.push_ratings(Path("ratings.ndjson"), rejected_to=Path("ratings.rejected.ndjson"))
    print(summary.accepted, summary.duplicates, summary.rejected)
    for score in client.scores(last_days=90):
        print(score.service_name, score.count, score.mean)
```

Ratings go to ``POST /ingest/ratings`` (NDJSON, ``schema/http/bulk.py``) in chunks of ``chunk`` lines; volumes to
the ``reportServiceVolumes`` mutation (``schema/graphql/volumes.py``) in batches. Every request is retried as
``schema/client/transport.py`` says; resending a file, or a chunk whose answer was lost, is safe because each
rating's ``clientRef`` (and each volume report's service, channel and day) makes it idempotent — the resent items
come back as DUPLICATE. Lines the server or the file reader rejects are written, with their line number, code and
message, to ``rejected_to`` (NDJSON, one object per rejected line).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx

from schema.client.records import FileFormat, Kind, Record, read_records
from schema.client.transport import ClientError, RetryPolicy, Transport

MAX_CHUNK_BYTES = 16 * 1024 * 1024
"""A chunk is also cut at about this many bytes, far below the server's upload limit (``max_upload_bytes``)."""
SHOWN_PROBLEMS = 50
"""Rejected lines kept in memory for the summary (all of them go to the rejected file)."""
VOLUMES_MUTATION = """mutation Push($input: ReportServiceVolumesInput!) {
  reportServiceVolumes(input: $input) { accepted corrected duplicates rejected results { index status code message } }
}"""
SCORES_QUERY = """query Scores($org: String!, $questionId: ID!, $lastDays: Int!, $locale: Locale!, $after: ID) {
  services(organisationId: $org, first: 500, after: $after) {
    id name(locale: $locale)
    score(questionId: $questionId, lastDays: $lastDays) { published count skipped mean nps yesShare
      interval { low high } }
  }
}"""


@dataclass(frozen=True)
class Problem:
    """A line that was not stored: its number in the file, status, code and the message that says how to fix it."""

    line: int
    status: str
    code: str | None
    message: str | None


@dataclass
class PushSummary:
    """The outcome of pushing one file."""

    accepted: int = 0
    corrected: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejected_file: Path | None = None

    @property
    def lines(self) -> int:
        """Lines handled (accepted, duplicate or rejected)."""
        return self.accepted + self.duplicates + self.rejected


@dataclass(frozen=True)
class ServiceScore:
    """One of the organisation's services with its score over the window."""

    service_id: str
    service_name: str
    published: bool
    count: int | None
    skipped: int | None
    mean: float | None
    nps: float | None
    yes_share: float | None
    low: float | None
    high: float | None


class _Rejected:
    """The rejected-lines file, opened on the first rejected line (no file when nothing is rejected)."""

    def __init__(self, path: Path | None, summary: PushSummary) -> None:
        self.path = path
        self.summary = summary
        self.stream: IO[str] | None = None

    def add(self, record: Record, status: str, code: str | None, message: str | None) -> None:
        problem = Problem(record.line, status, code, message)
        if status == "REJECTED":
            self.summary.rejected += 1
            if len(self.summary.problems) < SHOWN_PROBLEMS:
                self.summary.problems.append(problem)
            if self.path is not None:
                if self.stream is None:
                    self.stream = self.path.open("w", encoding="utf-8")
                    self.summary.rejected_file = self.path
                self.stream.write(json.dumps({"line": record.line, "code": code, "message": message,
                                              "input": record.text}, ensure_ascii=False) + "\n")
        else:
            self.summary.duplicates += 1

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def _chunks(records: Iterable[Record], size: int, rejected: _Rejected,
            progress: Callable[[int], None]) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    weight = 0
    for record in records:
        if record.error is not None:
            rejected.add(record, "REJECTED", "INVALID_LINE", record.error)
            progress(1)
            continue
        chunk.append(record)
        weight += len(record.text) * 2  # a CSV row's JSON is longer than the row; UTF-8 is up to 4 bytes a char
        if len(chunk) == size or weight >= MAX_CHUNK_BYTES:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _error_of(response: httpx.Response) -> ClientError:
    try:
        first = response.json()["errors"][0]
        message, code = str(first["message"]), first.get("extensions", {}).get("code")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        message, code = f"HTTP {response.status_code} from arvio", None
    hint = " Use a smaller --chunk." if response.status_code == 413 else ""
    return ClientError(f"arvio refused the request: {message}{hint}", response.status_code, code)


class ArvioClient:
    """An organisation's client (see the module docstring); use it as a context manager or call ``close``."""

    def __init__(self, base_url: str, token: str, *, policy: RetryPolicy | None = None,
                 transport: Transport | None = None, on_retry: Callable[[str], None] | None = None) -> None:
        self.transport = transport or Transport(base_url, token, policy or RetryPolicy(), on_retry=on_retry)

    def __enter__(self) -> ArvioClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self.transport.close()

    def push_ratings(self, path: Path, *, file_format: FileFormat = FileFormat.AUTO, chunk: int = 1000,
                     rejected_to: Path | None = None,
                     progress: Callable[[int], None] = lambda lines: None) -> PushSummary:
        """Send a file of ratings (CSV or NDJSON of ``RatingInput``) to ``/ingest/ratings`` in chunks of ``chunk``
        lines; ``progress`` is called with the number of lines each step handled."""
        return self._push(path, Kind.RATINGS, file_format, chunk, 10_000, rejected_to, progress, self._send_ratings)

    def _send_ratings(self, part: list[Record], summary: PushSummary, rejected: _Rejected) -> None:
        body = "".join((r.text if not r.item else json.dumps(r.item, ensure_ascii=False)) + "\n" for r in part)
        response = self.transport.post("/ingest/ratings", content=body.encode("utf-8"),
                                       headers={"Content-Type": "application/x-ndjson"})
        if response.status_code != 200:
            raise _error_of(response)
        try:
            result = response.json()
            accepted, problems = int(result["accepted"]), list(result["problems"])
        except (ValueError, KeyError, TypeError):
            raise ClientError(f"{self.transport.base_url}/ingest/ratings did not answer with arvio's summary; "
                              "check the URL (resending the file is safe).") from None
        summary.accepted += accepted
        for problem in problems:
            record = part[int(problem["line"]) - 1]  # the body's line n is the chunk's n-th record
            rejected.add(record, str(problem["status"]), problem.get("code"), problem.get("message"))

    def push_volumes(self, path: Path, *, file_format: FileFormat = FileFormat.AUTO, chunk: int = 500,
                     rejected_to: Path | None = None,
                     progress: Callable[[int], None] = lambda lines: None) -> PushSummary:
        """Send a file of day reports (CSV or NDJSON of ``ServiceVolumeInput``) to ``reportServiceVolumes`` in
        batches of ``chunk`` items."""
        return self._push(path, Kind.VOLUMES, file_format, chunk, 1000, rejected_to, progress, self._send_volumes)

    @staticmethod
    def _push(path: Path, kind: Kind, file_format: FileFormat, chunk: int, most: int, rejected_to: Path | None,
              progress: Callable[[int], None],
              send: Callable[[list[Record], PushSummary, _Rejected], None]) -> PushSummary:
        """Read ``path`` as ``kind`` records and ``send`` them in parts of ``chunk``; problems sorted by line."""
        _check_chunk(chunk, most)
        summary = PushSummary()
        rejected = _Rejected(rejected_to, summary)
        try:
            for part in _chunks(read_records(path, kind, file_format), chunk, rejected, progress):
                send(part, summary, rejected)
                progress(len(part))
        finally:
            rejected.close()
        summary.problems.sort(key=lambda problem: problem.line)
        return summary

    def _send_volumes(self, part: list[Record], summary: PushSummary, rejected: _Rejected) -> None:
        data = self.graphql(VOLUMES_MUTATION, {"input": {"volumes": [r.item for r in part]}})
        result = data["reportServiceVolumes"]
        summary.accepted += int(result["accepted"])
        summary.corrected += int(result["corrected"])
        for item in result["results"]:
            if item["status"] != "ACCEPTED":
                rejected.add(part[int(item["index"])], str(item["status"]), item.get("code"), item.get("message"))

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """One GraphQL operation; its data, or ClientError with the first error's message."""
        response = self.transport.post("/graphql", json={"query": query, "variables": variables})
        try:
            body = response.json()
        except ValueError:
            raise _error_of(response) from None
        if not isinstance(body, dict) or body.get("errors") or not isinstance(body.get("data"), dict):
            raise _error_of(response)
        data: dict[str, Any] = body["data"]
        return data

    def scores(self, *, question_id: str = "national.transaction-smooth", last_days: int = 365,
               locale: str = "FI") -> list[ServiceScore]:
        """The organisation's own services with their scores over the last ``last_days`` days (its token shows
        figures below the publication threshold too)."""
        if not 1 <= last_days <= 3660:
            raise ValueError("last days must be 1–3660.")
        viewer = self.graphql("query { viewer { role organisationId } }", {})["viewer"]
        if not viewer or viewer["role"] != "ORGANISATION":
            raise ClientError("scores need an ORGANISATION token (arvio token issue --role ORGANISATION …).")
        found: list[ServiceScore] = []
        after: str | None = None
        while True:
            page = self.graphql(SCORES_QUERY, {"org": viewer["organisationId"], "questionId": question_id,
                                               "lastDays": last_days, "locale": locale, "after": after})["services"]
            found += [_score(s) for s in page]
            if len(page) < 500:
                return found
            after = page[-1]["id"]


def _score(service: dict[str, Any]) -> ServiceScore:
    s = service["score"]
    interval = s.get("interval") or {}
    return ServiceScore(service["id"], service["name"], s["published"], s["count"], s["skipped"], s["mean"],
                        s["nps"], s["yesShare"], interval.get("low"), interval.get("high"))


def _check_chunk(chunk: int, most: int) -> None:
    if not 1 <= chunk <= most:
        raise ValueError(f"chunk must be 1–{most} lines.")
