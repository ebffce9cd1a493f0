"""arvio in N worker processes that each listen on their own SO_REUSEPORT socket (the kernel spreads connections).

    .venv/bin/python -m bench.reuseport --port 8000 --workers 2

A test launcher for bench/workers.py, not a production entry point: ``uvicorn --workers N`` shares one listening
socket between its workers, and asyncio accepts every connection that is waiting when its loop wakes, so a burst of
new keep-alive connections can all land in one worker. Here each worker binds its own socket to the same port with
SO_REUSEPORT, and the kernel picks the socket (a hash of the connection's addresses) for each new connection.
The settings come from the ``ARVIO_*`` environment, as for ``uvicorn --factory schema.wiring:asgi``.
"""

from __future__ import annotations

import argparse
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

import uvicorn


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on ``host:port`` that other processes may bind too (SO_REUSEPORT)."""
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say they are TCP; with proto 0 every small
    # answer waits for the client's delayed ACK (Nagle), about 40 ms.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def serve_one(host: str, port: int) -> None:
    """One worker: its own SO_REUSEPORT socket, one uvicorn server (production logging: warnings, no access log)."""
    sock = reuseport_socket(host, port)
    config = uvicorn.Config("schema.wiring:asgi", factory=True, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        serve_one(args.host, args.port)
        return
    children = [subprocess.Popen([sys.executable, "-m", "bench.reuseport", "--host", args.host, "--port",
                                  str(args.port), "--child"]) for _ in range(args.workers)]

    def stop(_signum: int, _frame: FrameType | None) -> None:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    stop(signal.SIGTERM, None)


if __name__ == "__main__":
    main()
