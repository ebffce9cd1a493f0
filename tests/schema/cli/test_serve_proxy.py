"""``arvio serve --proxy-headers --forwarded-allow-ips …`` in one process and with ``--workers 2``: the rate limiter
keys on the address in X-Forwarded-For only when the connection comes from an allowed proxy address; the server
writes JSON access lines when ``ARVIO_LOG_FORMAT=json``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import orjson
import pytest

from schema.http.serve import ServerOptions
from tests.live import free_port
from tests.schema.cli.test_serve_workers import ROOT, _wait_healthy

SENDS = 6
"""Requests per check: with 2 per minute allowed per address and per worker, six from one address overflow at
least one of two workers' buckets, wherever the kernel sends them."""


def _statuses(base: str, forwarded: list[str]) -> list[int]:
    statuses = []
    for address in forwarded:  # a new connection each, so both workers see some
        with httpx.Client(timeout=10) as client:
            statuses.append(client.post(f"{base}/graphql", json={"query": "{ __typename }"},
                                        headers={"X-Forwarded-For": address}).status_code)
    return statuses


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT workers are a Linux feature")
@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("trusted", [True, False])
def test_forwarded_for_is_honoured_only_from_allowed_addresses(tmp_path: Path, workers: int, trusted: bool) -> None:
    port = free_port()
    env = {**os.environ, "ARVIO_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "ARVIO_ENV": "development",
           "ARVIO_RATE_LIMIT_PER_MINUTE": "2", "ARVIO_LOG_FORMAT": "json"}
    allowed = "127.0.0.1" if trusted else "192.0.2.10"  # the test connects from 127.0.0.1
    server = subprocess.Popen([sys.executable, "-m", "schema.cli.main", "serve", "--workers", str(workers),
                               "--port", str(port), "--proxy-headers", "--forwarded-allow-ips", allowed],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base)
        distinct = _statuses(base, [f"203.0.113.{i}" for i in range(1, SENDS + 1)])
        if trusted:
            assert distinct == [200] * SENDS  # each forwarded address has its own bucket
            assert 429 in _statuses(base, ["198.51.100.1"] * SENDS)  # one forwarded address is limited
        else:
            assert 429 in distinct  # the header is ignored: every request is 127.0.0.1's
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=60)
        assert server.returncode in {0, -signal.SIGTERM}  # uvicorn alone re-raises the signal it stopped on
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    records = [orjson.loads(line) for line in stderr.splitlines() if line.startswith(b"{")]
    access = [r["http"] for r in records if r["logger"] == "arvio.access"]
    assert {a["route"] for a in access} >= {"/graphql"}
    assert "203.0.113." not in stderr.decode()  # client addresses are not logged


def test_bad_forwarded_allow_ips_is_refused() -> None:
    with pytest.raises(ValueError, match="--forwarded-allow-ips"):
        ServerOptions(forwarded_allow_ips="127.0.0.1,proxy.example")
    assert ServerOptions(proxy_headers=True, forwarded_allow_ips="*, 10.0.0.0/8").uvicorn_options()["proxy_headers"]
