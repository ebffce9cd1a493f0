"""``arvio notify send-test`` and ``arvio notify run`` against a local SMTP server and webhook receiver
(schema/cli/notify.py)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
from pathlib import Path

import pytest

from federation.db import Database
from federation.notify.models import Channel, DigestFrequency
from federation.notify.signing import verify_signature
from federation.notify.subscriptions import SubscriptionDraft, subscribe
from federation.privacy.keyring import open_key_ring
from federation.settings import Settings
from schema.cli.main import main
from tests.federation.notify.support import smtp_server, wait_for, webhook_receiver

ORG = "1000001-2"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ARVIO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ARVIO_MASTER_KEY", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.setenv("ARVIO_ENV", "test")
    monkeypatch.chdir(tmp_path)
    assert main(["migrate"]) == 0
    assert main(["org", "add", ORG, "--name-fi", "Esimerkkilä"]) == 0
    return Settings.from_env()


def _subscribe(settings: Settings, draft: SubscriptionDraft) -> str | None:
    database = Database(settings)
    try:
        with database.transaction() as session:
            _, secret = subscribe(session, draft, open_key_ring(settings), organisation_id=ORG, actor="cli-test",
                                  now=dt.datetime.now(dt.UTC) - dt.timedelta(days=8), allow_http=True)
    finally:
        database.dispose()
    return secret


def test_send_test_reaches_email_and_webhook_then_run_finds_nothing_more(
        cli_env: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server() as (inbox, port), webhook_receiver([200]) as (receiver, url):
        monkeypatch.setenv("ARVIO_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ARVIO_SMTP_PORT", str(port))
        monkeypatch.setenv("ARVIO_SMTP_STARTTLS", "false")
        monkeypatch.setenv("ARVIO_SMTP_FROM", "arvio <noreply@arvio.test>")
        _subscribe(cli_env, SubscriptionDraft(Channel.EMAIL, "ops@example.fi", DigestFrequency.WEEKLY, (), "en"))
        secret = _subscribe(cli_env, SubscriptionDraft(Channel.WEBHOOK, url, None, ("SCORE_DROP",), "fi"))
        assert secret is not None
        capsys.readouterr()
        assert main(["notify", "send-test", "--org", "10000012"]) == 0
        out = capsys.readouterr().out
        assert "EMAIL\to…@example.fi\tSENT" in out and "WEBHOOK\thttp://127.0.0.1" in out
        assert out.count("SENT") == 2 and "ops@example.fi" not in out
        wait_for(lambda: len(inbox.messages) == 1)
        assert inbox.messages[0]["Subject"] == "arvio: test message"
        ((headers, body),) = receiver.requests
        verify_signature(secret, headers["arvio-signature"], body, now=time.time())
        assert json.loads(body)["type"] == "test"
        assert main(["notify", "run"]) == 0
        assert capsys.readouterr().out.startswith("enqueued 1, sent 1")  # last week's digest
        assert main(["notify", "run"]) == 0
        assert capsys.readouterr().out.strip() == "enqueued 0, sent 0, retrying 0, failed 0"
    assert len(inbox.messages) == 2 and len(receiver.requests) == 1


def test_send_test_explains_what_is_missing(cli_env: Settings, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARVIO_SMTP_HOST", raising=False)
    assert main(["notify", "send-test", "--org", ORG]) == 2
    assert "has no notification subscriptions" in capsys.readouterr().err
    _subscribe(cli_env, SubscriptionDraft(Channel.EMAIL, "ops@example.fi", DigestFrequency.DAILY, (), "fi"))
    assert main(["notify", "send-test", "--org", ORG]) == 2
    assert "set ARVIO_SMTP_HOST" in capsys.readouterr().err
    assert main(["notify", "run", "--limit", "0"]) == 2
    monkeypatch.setenv("ARVIO_SMTP_STARTTLS", "maybe")
    assert main(["notify", "run"]) == 2
    assert "ARVIO_SMTP_STARTTLS must be true or false" in capsys.readouterr().err
