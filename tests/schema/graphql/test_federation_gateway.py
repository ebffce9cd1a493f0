"""arvio's /subgraph composed with a catalogue subgraph by a real Apollo gateway (Node, from .ci/node).

One query to the gateway returns a catalogue service's name together with its arvio score. Skips (with the
reason) when node or the node_modules are missing locally; under CI (``CI`` set) that is a failure instead.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from federation.db import Database
from federation.publication import service
from federation.publication.periods import Period
from federation.settings import Settings
from schema.wiring import build_app
from tests.conftest import NOW, SERVICE_A, SERVICE_B, Clock
from tests.exporters.seed import PERIOD, SMOOTH, seed_ratings
from tests.schema.publication_support import publication_settings

NODE_DIR = Path(__file__).resolve().parents[3] / ".ci" / "node"
UNRATED = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
QUERY = """{ services { id name ratings { publication { number period }
  scores { questionId count mean stars } } } }"""


def _require_node() -> str:
    node = shutil.which("node")
    reason = None
    if node is None:
        reason = "node is not installed (apt-get install nodejs npm)"
    elif not (NODE_DIR / "node_modules" / "@apollo" / "gateway").is_dir():
        reason = "the gateway's packages are missing: run `npm ci` in .ci/node (bash .ci/run does)"
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"federation test cannot run in CI: {reason}")
        pytest.skip(reason)
    assert node is not None
    return node


def _start(node: str, script: str, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """Start ``script`` and wait for its ``ready <url>`` line (other output is logged by Apollo)."""
    process = subprocess.Popen([node, script], cwd=NODE_DIR, env={**os.environ, **env}, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1.0)
        except queue.Empty:
            continue
        if line.startswith("ready "):
            return process, line.split(" ", 1)[1].strip()
        if not line:
            break
        seen.append(line)
    process.kill()
    raise AssertionError(f"{script} did not start: {''.join(seen)[-2000:]}")


@pytest.fixture
def arvio_url(database: Database, tmp_path: Path) -> Iterator[str]:
    """arvio served by uvicorn on 127.0.0.1 with 2025-Q4 published as publication 1."""
    settings: Settings = publication_settings(database, tmp_path)
    seed_ratings(database)
    with database.transaction() as session:
        service.create_draft(session, Period.parse(PERIOD), now=NOW, actor="test", publication_threshold=10)
        service.publish(session, 1, now=NOW, actor="test")
    app = build_app(settings, database=database, run_migrations=False, clock=Clock())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/subgraph"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_a_gateway_query_joins_catalogue_names_with_arvio_scores(arvio_url: str) -> None:
    node = _require_node()
    catalogue_services = [{"id": SERVICE_A, "name": "Kirjastokortti (PTV)"},
                          {"id": SERVICE_B, "name": "Rakennuslupa (PTV)"}, {"id": UNRATED, "name": "Uusi palvelu"}]
    processes = []
    try:
        catalogue, catalogue_url = _start(node, "catalogue.mjs",
                                          {"CATALOGUE_SERVICES": json.dumps(catalogue_services)})
        processes.append(catalogue)
        gateway, gateway_url = _start(node, "gateway.mjs", {"CATALOGUE_URL": catalogue_url, "ARVIO_URL": arvio_url})
        processes.append(gateway)
        response = httpx.post(gateway_url, json={"query": QUERY}, timeout=30)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    a, b, unrated = body["data"]["services"]
    assert a["name"] == "Kirjastokortti (PTV)"
    assert a["ratings"]["publication"] == {"number": 1, "period": "2025-Q4"}
    smooth = next(s for s in a["ratings"]["scores"] if s["questionId"] == SMOOTH)
    assert smooth == {"questionId": SMOOTH, "count": 22, "mean": 3.8636, "stars": 3.9}
    assert b["name"] == "Rakennuslupa (PTV)" and b["ratings"]["scores"] == []  # below the threshold
    assert unrated["ratings"]["scores"] == []
