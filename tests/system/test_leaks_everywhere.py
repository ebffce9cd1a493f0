"""Synthetic personal identity codes pushed through every entry point never come out anywhere.

Entry points: GraphQL (query text, variables, wrong-typed values, unknown fields, free text, erasure, a refused
research breakdown), the NDJSON bulk upload (identifier, free text, a malformed line, an unknown field), the
citizen widget (follow-up text), page feedback (what was missing, the address, the ref), and the command line
(erasure). Places scanned: every column of every table,
every log line (message, arguments, traceback) at DEBUG, every response body, the exports (live catalogue in each
format, the open-data package) and the command line's output. Forms looked for: the codes as typed (upper and lower
case, with and without the separator, with the 2023 century signs and typographic dashes) and their unkeyed hashes
(MD5, SHA-1, SHA-256, SHA-512, BLAKE2b of each spelling, hex and base64), which would be as good as the code
itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import logging
import re
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from federation.auth.models import Role
from schema.cli.main import main
from tests.conftest import SERVICE_A, Api
from tests.federation.privacy.test_leaks import stored_leaks
from tests.schema.graphql.test_ratings import SUBMIT, rating
from tests.schema.widget_support import answer as widget_answer
from tests.schema.widget_support import draw, follow_up, mint, ticket_key

# Valid codes (check characters right) with the old and the 2023 century signs, and one with a wrong check.
CODES = ("131052-308T", "010594Y803U", "020202A123C", "311280-899A", "131052-308A")
BREAKDOWN = "query($input: BreakdownInput!) { breakdown(input: $input) { cells { count } } }"
ERASE = "mutation($input: EraseRespondentInput!) { eraseRespondent(input: $input) { requestId } }"


def spellings(code: str) -> set[str]:
    """How a person may type a code: case, no separator, typographic dashes, spaces around the separator."""
    birth, sign, rest = code[:6], code[6], code[7:]
    forms = {code, code.lower(), birth + rest, f"{birth} {sign} {rest}"}
    if sign == "-":
        forms |= {f"{birth}\u2013{rest}", f"{birth}\u2212{rest}"}
    return forms | {form.lower() for form in forms}


def hashed(form: str) -> set[str]:
    out = set()
    for name in ("md5", "sha1", "sha256", "sha512", "blake2b"):
        digest = hashlib.new(name, form.encode()).digest()
        out |= {digest.hex(), digest.hex().upper(), base64.b64encode(digest).decode(),
                base64.urlsafe_b64encode(digest).decode().rstrip("=")}
    return out


def forbidden() -> list[re.Pattern[str]]:
    forms = {form for code in CODES for form in spellings(code)}
    raw = [re.compile(rf"(?<![0-9A-Za-z]){re.escape(form)}(?![0-9A-Za-z])", re.I) for form in forms]
    return raw + [re.compile(re.escape(h)) for form in forms for h in hashed(form)]


PATTERNS = forbidden()


def leaks(text: str) -> list[str]:
    return [p.pattern[:40] for p in PATTERNS if p.search(text)]


def graphql_entry_points(api: Api) -> list[Any]:
    code, typo, lower = CODES[0], CODES[4], CODES[1].lower()
    demo = {"legalBasis": "PUBLIC_TASK", "personalIdentifier": f" {lower} ", "birthYear": 1994, "language": "fi"}
    text = f"hetu {CODES[3][:6]}\u2013{CODES[3][7:]} ja {CODES[2]}"
    bodies: list[Any] = [
        api.gql(SUBMIT, {"input": {"ratings": [
            rating("leak-1", 4, demographics=demo, followUp={"drivers": ["staff"], "text": text}),
            rating("leak-2", 4, demographics={"legalBasis": "PUBLIC_TASK", "personalIdentifier": typo}),
            rating(code, 4),  # an identifier typed as the client reference
        ]}}, token="org_a"),
        api.gql(SUBMIT, {"input": {"ratings": [rating("x", code)]}}, token="org_a"),  # type: ignore[arg-type]
        api.gql(SUBMIT, {"input": {"ratings": [rating("x", 4, hetu=code)]}}, token="org_a"),
        api.gql('{ service(id: "%s") { id } }' % code),
        api.client.post("/graphql", json={"query": '{ service(id: "%s" { id } }' % code}).text,
        api.client.post("/graphql", json={"query": "{ x%s }" % code.replace("-", "")}).text,
        api.gql(ERASE, {"input": {"personalIdentifier": code}}),
        api.gql(ERASE, {"input": {"personalIdentifier": code, "serviceId": SERVICE_A}}, token="org_b"),
        api.gql(ERASE, {"input": {"personalIdentifier": lower}}, token="org_a"),
        api.gql(BREAKDOWN, {"input": {"scope": {"kind": "SERVICE_CLASS", "id": code}, "questionId": code,
                                      "from": code, "to": "2025", "by": [], "metrics": ["COUNT"]}},
                token="researcher"),
    ]
    return bodies


def bulk_entry_points(api: Api) -> list[Any]:
    lines = [
        orjson.dumps(rating("bulk-1", 3, demographics={"legalBasis": "PUBLIC_TASK", "personalIdentifier": CODES[2],
                                                      "birthYear": 2002},
                            followUp={"drivers": [], "text": f"tunnus {CODES[0].lower()}"})),
        b'{"clientRef": "%s", not json' % CODES[0].encode(),
        orjson.dumps(rating("bulk-2", 3, personalIdentifier=CODES[3])),
    ]
    response = api.client.post("/ingest/ratings", content=b"\n".join(lines),
                               headers={"Authorization": f"Bearer {api.tokens['org_a']}",
                                        "Content-Type": "application/x-ndjson"})
    return [response.text]


def widget_entry_points(api: Api) -> list[Any]:
    key = ticket_key(api)
    drawn = draw(api)
    ticket = mint(api, key)
    first = widget_answer(api, drawn, ticket, value=drawn["question"]["min"])
    second = follow_up(api, drawn, ticket, [], text=f"Soittakaa, hetuni on {CODES[0]} / {CODES[1].lower()}")
    return [first, second]


def page_entry_points(api: Api) -> list[Any]:
    """"Was this page useful?": a no whose "what was missing" names codes, an unregistered address with a code in
    it, a code as the ref, then the organisation reading the texts (federation/pages/)."""
    page, origin = "https://www.example.fi/ohjeet", {"Origin": "https://www.example.fi"}
    api.gql("mutation { registerPages(pages: [{url: \"%s\"}]) { id } }" % page, token="org_a")
    sent = {"organisation": "1000001-2", "url": page, "ref": "leak-page-answer-0001", "useful": False}
    bodies = [api.client.post("/pages/answer", json=sent, headers=origin).text,
              api.client.post("/pages/follow-up", headers=origin, json={
                  **sent, "text": f"Puuttui: hetuni {CODES[0]} ja {CODES[1].lower()}"}).text,
              api.client.post("/pages/answer", headers=origin, json={**sent, "url": f"{page}/{CODES[2]}"}).text,
              api.client.post("/pages/answer", headers=origin, json={**sent, "ref": CODES[3] * 2}).text]
    api.clock.now += dt.timedelta(minutes=1)
    bodies.append(api.gql("{ pageTexts(lastDays: 1) { text } }", token="org_a"))
    assert "Puuttui: hetuni" in repr(bodies[-1])
    return bodies


def export_bodies(api: Api) -> list[str]:
    publisher = {"Authorization": f"Bearer {api.token(Role.PUBLISHER)}"}
    out = []
    for name in ("scores.json", "scores.csv", "scores.jsonld"):
        response = api.client.get(f"/exports/live/{name}", headers=publisher)
        assert response.status_code == 200, response.text
        out.append(response.text)
    archive = api.client.get("/exports/live/opendata.zip", headers=publisher)
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as package:
        out += [package.read(name).decode("utf-8", "replace") for name in package.namelist()]
    return out


def database_text(api: Api) -> dict[str, list[str]]:
    return stored_leaks(api, leaks)


def test_no_identity_code_comes_out_anywhere(api: Api, caplog: pytest.LogCaptureFixture, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    responses = graphql_entry_points(api) + bulk_entry_points(api) + widget_entry_points(api)
    assert "ACCEPTED" in repr(responses[0]) and '"accepted":1' in responses[-3].replace(" ", "")
    responses += page_entry_points(api)
    exports = export_bodies(api)
    assert [leaks(repr(body)) for body in responses] == [[] for _ in responses]
    assert [leaks(body) for body in exports] == [[] for _ in exports]
    for record in caplog.records:
        text = " ".join([record.getMessage(), repr(record.args), record.exc_text or ""])
        assert leaks(text) == [], text
    assert database_text(api) == {}
    # The command line: an erasure by identifier prints a receipt and logs nothing identifying.
    url = api.database.engine.url.render_as_string(hide_password=False)
    monkey = pytest.MonkeyPatch()
    try:
        monkey.setenv("ARVIO_DATABASE_URL", url)
        monkey.setenv("ARVIO_MASTER_KEY", api.client.app.state.arvio.settings.master_key)  # type: ignore[attr-defined]
        assert main(["erase", "--identifier", CODES[2].lower()]) == 0
        assert main(["erase", "--identifier", f" {CODES[3]} ", "--service", SERVICE_A]) in (0, 2)
    finally:
        monkey.undo()
    printed = capsys.readouterr()
    assert leaks(printed.out + printed.err) == []
    for record in caplog.records:
        assert leaks(" ".join([record.getMessage(), repr(record.args), record.exc_text or ""])) == []
    assert database_text(api) == {}
