"""Serving with several worker processes on one port, each with its own SO_REUSEPORT listening socket (Linux).

``uvicorn --workers N`` binds one socket in its supervisor and every worker inherits it: the workers race for each
new connection, and asyncio accepts every connection that is waiting when its loop wakes. A burst of new keep-alive
connections (a proxy's pool, a load generator) therefore lands mostly on one worker, and stays there
(bench/workers.py: of 8 connections opened at once, one worker got 6 to 8 of them in 18 of 20 trials, and two
workers then served what one does). With one SO_REUSEPORT socket per worker, the kernel assigns each new connection
to a worker by a hash of its addresses. Settings come from the ``ARVIO_*`` environment, as for
``uvicorn --factory schema.wiring:asgi``.

Metrics: before starting the workers the supervisor creates a fresh folder for prometheus-client's multiprocess
mode and names it in ``PROMETHEUS_MULTIPROC_DIR``, which the workers inherit, so a scrape of any worker sums them
all (:mod:`schema.http.metrics`). A worker that dies is marked dead (its gauges leave the sums, its counts stay)
and the folder is removed when the supervisor stops.
"""

from __future__ import annotations

import ipaddress
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn
from prometheus_client import multiprocess

from federation.settings import Settings
from schema.http.logs import configure_logging
from schema.http.metrics import MULTIPROCESS_DIR


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` that the other workers bind too (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they are TCP; without it
    # every small answer waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


@dataclass(frozen=True)
class ServerOptions:
    """What ``arvio serve`` hands uvicorn, the same in one process and in every worker.

    Behind a TLS proxy, ``proxy_headers`` makes uvicorn take the client address (which the rate limiter keys on)
    and scheme from ``X-Forwarded-For`` / ``X-Forwarded-Proto`` — only on connections from
    ``forwarded_allow_ips`` (comma-separated addresses or networks, or ``*``); from anywhere else the headers are
    ignored. Off by default, so no caller can pick its own rate-limit bucket by sending the header.
    """

    log_level: str = "info"
    proxy_headers: bool = False
    forwarded_allow_ips: str = "127.0.0.1"

    def __post_init__(self) -> None:
        for entry in (e.strip() for e in self.forwarded_allow_ips.split(",")):
            if entry == "*":
                continue
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"--forwarded-allow-ips holds {entry[:60]!r}, which is not an address or network; "
                                 "write the proxy's addresses, e.g. 127.0.0.1,10.0.0.5 (or * to trust any)."
                                 ) from None

    def uvicorn_options(self) -> dict[str, Any]:
        """Keyword arguments of ``uvicorn.Config`` and ``uvicorn.run``."""
        return {"log_level": self.log_level, "access_log": False, "log_config": None,
                "proxy_headers": self.proxy_headers, "forwarded_allow_ips": self.forwarded_allow_ips}


def _worker(host: str, port: int, options: ServerOptions) -> None:
    configure_logging(Settings.from_env())
    config = uvicorn.Config("schema.wiring:asgi", factory=True, **options.uvicorn_options())
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def serve_workers(host: str, port: int, workers: int, options: ServerOptions) -> int:
    """Run ``workers`` worker processes until SIGTERM or SIGINT; a worker that dies is started again. The metrics
    folder lives as long as this call."""
    folder = tempfile.mkdtemp(prefix="arvio-metrics-")
    previous = os.environ.get(MULTIPROCESS_DIR)
    os.environ[MULTIPROCESS_DIR] = folder  # inherited by the spawned workers, read when they import the metrics
    try:
        if not hasattr(socket, "SO_REUSEPORT"):  # not Linux/BSD: the shared socket of uvicorn's own supervisor
            uvicorn.run("schema.wiring:asgi", factory=True, host=host, port=port, workers=workers,
                        **options.uvicorn_options())
            return 0
        return _supervise(host, port, workers, options, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if previous is None:
            os.environ.pop(MULTIPROCESS_DIR, None)
        else:
            os.environ[MULTIPROCESS_DIR] = previous


def _supervise(host: str, port: int, workers: int, options: ServerOptions, folder: str) -> int:
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> BaseProcess:
        process = context.Process(target=_worker, args=(host, port, options), name="arvio-worker")
        process.start()
        return process

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    def replace_if_dead(process: BaseProcess) -> BaseProcess:
        if process.is_alive() or stopping:
            return process
        if process.pid is not None:
            multiprocess.mark_process_dead(process.pid, folder)  # type: ignore[no-untyped-call]
        return start()

    processes = [start() for _ in range(workers)]
    while not stopping:
        time.sleep(0.5)
        processes = [replace_if_dead(p) for p in processes]
    for process in processes:
        process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
    for process in processes:
        process.join(timeout=30)
    return 0
