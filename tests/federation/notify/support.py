"""Helpers of the notification tests: a registry, a local SMTP server (aiosmtpd), a local webhook receiver."""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from federation.db import Database
from federation.notify.models import Channel, DigestFrequency, NotificationSubscription
from federation.notify.runner import Notifier
from federation.notify.subscriptions import SubscriptionDraft, subscribe
from federation.registry.service import Names, upsert_organisation, upsert_service
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B, TEST_KEY

RING = KeyRing((TEST_KEY,))
DEADLINE_SECONDS = 30.0


def register(database: Database) -> None:
    """ORG_A reports for SERVICE_A, ORG_B for SERVICE_B (as in tests/conftest.py's ``api``)."""
    with database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("Esimerkkilän kaupunki", "Exempelby stad", "City of Example"),
                            now=NOW)
        upsert_organisation(session, ORG_B, Names("Demovirasto"), now=NOW)
        session.flush()
        upsert_service(session, SERVICE_A, Names("Kirjastokortti", "Bibliotekskort", "Library card"), now=NOW,
                       organisation_ids=(ORG_A,))
        upsert_service(session, SERVICE_B, Names("Rakennuslupa"), now=NOW, organisation_ids=(ORG_B,))


def add_subscription(database: Database, channel: Channel, target: str, *, at: dt.datetime,
                     digest: DigestFrequency | None = None, kinds: tuple[str, ...] = (), locale: str = "fi",
                     organisation_id: str = ORG_A) -> tuple[NotificationSubscription, str | None]:
    with database.transaction() as session:
        return subscribe(session, SubscriptionDraft(channel, target, digest, kinds, locale), RING,
                         organisation_id=organisation_id, actor="test", now=at, allow_http=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Inbox:
    """Messages the local SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """An aiosmtpd server on a free loopback port (no TLS, no login)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclass
class Receiver:
    """Requests the local webhook receiver got; it answers with ``statuses`` in turn (then the last one)."""

    statuses: list[int]
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            self.requests.append((headers, body))
            index = min(len(self.requests), len(self.statuses)) - 1
            return self.statuses[index]


@contextmanager
def webhook_receiver(statuses: list[int]) -> Iterator[tuple[Receiver, str]]:
    """A threaded http.server on a free loopback port recording POSTs; yields it and its URL."""
    receiver = Receiver(statuses)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = receiver.answer({k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver, f"http://127.0.0.1:{server.server_address[1]}/hooks/arvio"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=DEADLINE_SECONDS)


def wait_for(condition: Callable[[], bool]) -> None:
    """Wait (generously) until ``condition`` holds."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        time.sleep(0.05)


def notifier(database: Database, smtp_port: int | None = None, *, max_attempts: int = 8) -> Notifier:
    settings = Settings(database_url=database.engine.url.render_as_string(hide_password=False), environment="test",
                        smtp_host="127.0.0.1" if smtp_port else None, smtp_port=smtp_port or 587,
                        smtp_starttls=False, smtp_from="arvio <noreply@arvio.test>", notify_max_attempts=max_attempts)
    return Notifier(database, settings, RING)
