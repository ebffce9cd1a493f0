"""``arvio token list`` and ``arvio token revoke``: the listing never shows a token or its hash, and a revoked token
is refused by a running app on its very next request."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from federation.auth.models import ApiToken
from federation.db import Database
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.cli.main import main
from schema.wiring import build_app
from tests.conftest import TEST_KEY


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("ARVIO_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    return path


def _issue(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["token", "issue", *args]) == 0
    return capsys.readouterr().out.strip()


def test_list_and_revoke(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["org", "add", "1000001-2", "--name-fi", "Esimerkkilä"]) == 0
    org = _issue(capsys, "--role", "ORGANISATION", "--org", "1000001-2", "--label", "reporting system")
    admin = _issue(capsys, "--role", "ADMIN", "--label", "operator", "--expires-days", "30")
    settings = Settings(database_url=f"sqlite:///{cli_db}", environment="test",
                        master_key=KeyRing((TEST_KEY,)).to_json())
    database = Database(settings)
    with TestClient(build_app(settings, database=database, run_migrations=False)) as client:
        def viewer(token: str) -> int:
            return client.post("/graphql", json={"query": "{ viewer { role } }"},
                               headers={"Authorization": f"Bearer {token}"}).status_code

        assert viewer(org) == 200 and viewer(admin) == 200
        assert main(["token", "list"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].split("\t") == ["id", "role", "organisation", "label", "created", "expires", "revoked"]
        first, second = (line.split("\t") for line in lines[1:])
        assert first[:4] == ["1", "ORGANISATION", "1000001-2", "reporting system"]
        assert first[5:] == ["-", "-"] and first[4].endswith("Z")
        assert second[:4] == ["2", "ADMIN", "-", "operator"] and second[5] != "-" and second[6] == "-"
        with database.transaction(write=False) as session:
            hashes = session.scalars(select(ApiToken.token_hash)).all()
        listing = "\n".join(lines)
        assert not any(secret in listing for secret in [org, admin, org[:12], *hashes])

        assert main(["token", "revoke", "1"]) == 0
        assert "token 1 (ORGANISATION reporting system) revoked" in capsys.readouterr().out
        assert viewer(org) == 401  # at once: the same running app, no restart
        assert viewer(admin) == 200
        assert main(["token", "list"]) == 0
        revoked = capsys.readouterr().out.splitlines()[1].split("\t")[6]
        assert revoked.endswith("Z")
        assert main(["token", "revoke", "1"]) == 0  # again: the first revocation time stays
        capsys.readouterr()
        assert main(["token", "list"]) == 0
        assert capsys.readouterr().out.splitlines()[1].split("\t")[6] == revoked
    database.dispose()


@pytest.mark.parametrize("token_id", ["99", "0", "-5", str(2**40)])
def test_revoke_unknown_id(cli_db: Path, capsys: pytest.CaptureFixture[str], token_id: str) -> None:
    assert main(["migrate"]) == 0
    assert main(["token", "revoke", "--", token_id]) == 2
    assert "No token with id" in capsys.readouterr().err


def test_revoke_needs_a_number(cli_db: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["token", "revoke", "one"])
    assert exit_info.value.code == 2
