"""``arvio serve --workers 2`` (schema/http/serve.py): two worker processes, each on its own SO_REUSEPORT socket of
the same port, serve requests over many connections, a worker that dies is started again, and SIGTERM ends them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[3]


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


def _workers(pid: int) -> list[int]:
    """The worker processes: spawn starts each through a resource tracker or directly; keep the uvicorn ones."""
    return [c for c in _children(pid)
            if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def _wait_healthy(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("arvio serve --workers 2 did not answer /healthz")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT workers are a Linux feature")
def test_two_workers_serve_restart_and_stop(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "ARVIO_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "ARVIO_ENV": "development"}
    server = subprocess.Popen([sys.executable, "-m", "schema.cli.main", "serve", "--workers", "2", "--port",
                               str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # its own process group: cleanup reaches the workers
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base)
        workers = _workers(server.pid)
        assert len(workers) == 2, workers
        clients = [httpx.Client(timeout=5) for _ in range(8)]  # eight keep-alive connections
        try:
            assert all(c.get(f"{base}/healthz").status_code == 200 for c in clients for _ in range(3))
        finally:
            for client in clients:
                client.close()
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        now = _workers(server.pid)  # one reading per check: the killed worker vanishes between two readings
        while time.monotonic() < deadline and (len(now) < 2 or workers[0] in now):
            time.sleep(0.2)
            now = _workers(server.pid)
        assert len(now) == 2 and workers[0] not in now, (now, workers)
        _wait_healthy(base)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        assert _workers(server.pid) == []
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)  # the supervisor and its workers, also after a failed check
            server.wait()
