"""The arvio command line against a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from federation.auth.models import ApiToken
from federation.db import Database
from federation.registry.models import Channel, Organisation, Service, ServiceOrganisation
from federation.settings import Settings
from schema.cli.main import main

SERVICE = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"
CHANNEL = "a3c5e7f9-0b1d-4f3a-9c5e-7f9a1b3d5e7f"


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("ARVIO_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    return path


def test_register_and_issue_token(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["org", "add", "1000001-2", "--name-fi", "Esimerkkilä", "--name-sv", "Exempelby"]) == 0
    assert main(["service", "add", SERVICE.upper(), "--name-fi", "Kirjastokortti", "--org", "10000012"]) == 0
    assert main(["channel", "add", CHANNEL, "--type", "Phone", "--name-fi", "Puhelin", "--service", SERVICE]) == 0
    capsys.readouterr()
    assert main(["token", "issue", "--role", "ORGANISATION", "--org", "1000001-2", "--label", "it"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("arvio_")
    database = Database(Settings(database_url=f"sqlite:///{cli_db}"))
    with database.transaction(write=False) as session:
        assert session.scalars(select(Organisation.business_id)).all() == ["1000001-2"]
        assert session.scalars(select(Service.id)).all() == [SERVICE]
        assert session.scalars(select(ServiceOrganisation.organisation_id)).all() == ["1000001-2"]
        assert session.scalars(select(Channel.id)).all() == [CHANNEL]
        stored = session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1


def test_bad_business_id_is_explained(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["migrate"])
    assert main(["org", "add", "1234567-8", "--name-fi", "X"]) == 2
    assert "not a valid Finnish business ID" in capsys.readouterr().err


def test_key_rotation_adds_a_version(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "rotate"]) == 0
    assert "master key version 2 is now current" in capsys.readouterr().out


def test_researchers_are_registered_once_and_listed(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["researcher", "register", "  Maija  Meikäläinen (THL) "]) == 0
    assert main(["researcher", "register", "MAIJA MEIKÄLÄINEN (thl)"]) == 0
    capsys.readouterr()
    assert main(["token", "issue", "--role", "RESEARCHER", "--label", "maija meikäläinen (THL)"]) == 0
    assert capsys.readouterr().out.startswith("arvio_")
    assert main(["token", "issue", "--role", "RESEARCHER", "--label", "someone else"]) == 2
    assert "register them first" in capsys.readouterr().err
    assert main(["researcher", "list"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("maija meikäläinen (thl)\tspent 0 of 10\tregistered 20")
