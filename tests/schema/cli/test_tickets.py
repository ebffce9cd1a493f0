"""``arvio ticket``: an operator makes an organisation's ticket key; an e-service back end mints tickets."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

from federation.ratings.tickets import TicketKey, parse_ticket
from schema.cli.main import main

SERVICE = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"
CHANNEL = "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARVIO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ARVIO_MASTER_KEY", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.delenv("ARVIO_TICKET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_rotate_a_key_then_mint_with_it(cli_env: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["migrate"]) == 0
    assert main(["org", "add", "1000001-2", "--name-fi", "Esimerkkilä"]) == 0
    capsys.readouterr()
    assert main(["ticket", "rotate-key", "--org", "10000012"]) == 0
    out = capsys.readouterr()
    key = TicketKey.parse(out.out)
    assert (key.organisation_id, key.version) == ("1000001-2", 1) and "shown once" in out.err
    (cli_env / "ticket.key").write_text(str(key), encoding="utf-8")
    assert main(["ticket", "mint", "--service", SERVICE, "--channel", CHANNEL, "--key-file", "ticket.key",
                 "--ttl-minutes", "15"]) == 0
    ticket = parse_ticket(capsys.readouterr().out)
    now = dt.datetime.now(dt.UTC)
    ticket.check(key, now=now)
    assert (ticket.service_id, ticket.channel_id) == (SERVICE, CHANNEL)
    assert dt.timedelta(minutes=14) < ticket.expires_at - now <= dt.timedelta(minutes=15)
    monkeypatch.setenv("ARVIO_TICKET_KEY", str(key))
    assert main(["ticket", "mint", "--service", SERVICE]) == 0
    assert parse_ticket(capsys.readouterr().out).channel_id is None


def test_mint_explains_what_is_missing(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ticket", "mint", "--service", SERVICE]) == 2
    assert "give the ticket key with --key-file or in ARVIO_TICKET_KEY" in capsys.readouterr().err
    (cli_env / "bad.key").write_text("nonsense", encoding="utf-8")
    assert main(["ticket", "mint", "--service", SERVICE, "--key-file", "bad.key"]) == 2
    assert "not a ticket key" in capsys.readouterr().err
    (cli_env / "ok.key").write_text(str(TicketKey("1000001-2", 1, bytes(32))), encoding="utf-8")
    assert main(["ticket", "mint", "--service", SERVICE, "--key-file", "ok.key", "--ttl-minutes", "5000"]) == 2
    assert "a ticket lives at most 1 day" in capsys.readouterr().err


def test_rotate_key_for_an_unknown_organisation(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["migrate"])
    assert main(["ticket", "rotate-key", "--org", "1000001-2"]) == 2
    assert "no organisation 1000001-2 is registered" in capsys.readouterr().err
