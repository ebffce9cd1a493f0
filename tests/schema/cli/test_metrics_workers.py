"""``arvio serve --workers 2``: one scrape of ``/metrics`` sums both workers (prometheus-client's multiprocess
folder, schema/http/serve.py), a dead worker's counts stay in the sums, and the folder is removed at shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.live import free_port
from tests.schema.cli.test_serve_workers import ROOT, _wait_healthy, _workers

REQUESTS = 24


def _typename_count(base: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=10).text
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "arvio_http_requests_total" and s.labels.get("route") == "/graphql"
               and s.labels.get("operation") == "other" and s.labels.get("status") == "200")


def _typename_in(file: Path) -> float:
    """What one worker's own file holds of the requests :func:`_send` makes."""
    return sum(s.value for metric in MultiProcessCollector.merge([str(file)]) for s in metric.samples
               if s.name == "arvio_http_requests_total" and s.labels.get("route") == "/graphql"
               and s.labels.get("operation") == "other")


def _send(base: str, count: int) -> None:
    for _ in range(count):  # a new connection each: the kernel spreads them over the workers
        with httpx.Client(timeout=10) as client:
            assert client.post(f"{base}/graphql", json={"query": "{ __typename }"}).status_code == 200


def _folder(worker: int) -> Path:
    environ = Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
    value = next(v for v in environ if v.startswith(b"PROMETHEUS_MULTIPROC_DIR="))
    return Path(value.partition(b"=")[2].decode())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT workers are a Linux feature")
def test_one_scrape_sums_both_workers(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "ARVIO_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "ARVIO_ENV": "development"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = subprocess.Popen([sys.executable, "-m", "schema.cli.main", "serve", "--workers", "2", "--port",
                               str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base)
        workers = _workers(server.pid)
        assert len(workers) == 2, workers
        folder = _folder(workers[0])
        assert folder == _folder(workers[1]) and folder.is_dir()
        _send(base, REQUESTS)
        per_worker = [_typename_in(file) for file in sorted(folder.glob("counter_*.db"))]
        assert len(per_worker) == 2 and all(per_worker), per_worker  # both served some (hashed by client port)
        assert sum(per_worker) == REQUESTS
        for _ in range(4):  # whichever worker answers the scrape, the sum is the same
            assert _typename_count(base) == REQUESTS
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        now = _workers(server.pid)
        while time.monotonic() < deadline and (len(now) < 2 or workers[0] in now):
            time.sleep(0.2)
            now = _workers(server.pid)
        _wait_healthy(base)
        _send(base, 2)
        assert _typename_count(base) == REQUESTS + 2  # the dead worker's counts stay
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        assert not folder.exists()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
