"""Master key rotation and destruction: `arvio keys rotate|status|destroy`, with an injected clock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from federation.audit.models import AuditEvent
from federation.db import Database
from federation.errors import DomainError
from federation.privacy.erasure import ErasureScope, erase_respondent
from federation.privacy.key_lifecycle import destroy_key, key_usage
from federation.privacy.retention import RetentionPolicy, run_retention
from federation.ratings.models import Rating
from federation.settings import Settings
from pseudonymize.keys import KeyRing, MasterKey, load_key_ring, save_key_ring
from schema.cli.main import main
from tests.conftest import NOW
from tests.federation.privacy.helpers import PEOPLE, answer, cube, demographics, register, submit

V1 = MasterKey(1, bytes(range(32)))


@pytest.fixture
def key_file(tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys.json"
    save_key_ring(path, KeyRing((V1,)))
    monkeypatch.setenv("ARVIO_DATABASE_URL", database.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ARVIO_KEY_FILE", str(path))
    monkeypatch.setenv("ARVIO_ENV", "test")
    monkeypatch.delenv("ARVIO_MASTER_KEY", raising=False)
    register(database)
    return path


def settings_for(database: Database, path: Path) -> Settings:
    return Settings(database_url=database.engine.url.render_as_string(hide_password=False), environment="test",
                    key_file=path)


def test_rotate_then_dedup_and_erasure_span_both_versions(database: Database, key_file: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    person = demographics(PEOPLE[0], language="sv")
    submit(database, [answer("before", 2, at=NOW - dt.timedelta(days=3), demo=person, text="hej")],
           load_key_ring(key_file, None))
    assert main(["keys", "rotate"]) == 0
    assert "master key version 2 is now current (kept: [1, 2])" in capsys.readouterr().out
    ring = load_key_ring(key_file, None)
    assert ring.versions == (1, 2) and ring.get(1) == V1
    submit(database, [answer("after", 4, at=NOW - dt.timedelta(days=1), demo=person)], ring)
    with database.transaction(write=False) as session:
        versions = sorted(r.pseudonym.split(":")[0] for r in session.scalars(select(Rating)) if r.pseudonym)
    assert versions == ["v1", "v2"]
    assert [counts[4] for counts in cube(database).values()] == [1]  # one person, latest answer
    assert main(["keys", "status"]) == 0
    assert capsys.readouterr().out == (
        "version 1: 1 pseudonyms, 1 sealed free texts, 0 live ticket keys\n"
        "version 2 (current): 1 pseudonyms, 0 sealed free texts, 0 live ticket keys\n")
    with database.transaction() as session:
        receipt = erase_respondent(session, PEOPLE[0], ring=ring, scope=ErasureScope(), actor="t", now=NOW).receipt
    assert (receipt.ratings_deleted, receipt.key_versions_searched) == (2, "1,2")
    assert cube(database) == {}


def test_destroy_refuses_while_retained_data_needs_the_key(database: Database, key_file: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    submit(database, [answer("x", 3, at=NOW - dt.timedelta(days=1), demo=demographics(PEOPLE[1]))],
           load_key_ring(key_file, None))
    assert main(["keys", "destroy", "1"]) == 2
    assert "cannot destroy key version 1: it is the only key" in capsys.readouterr().err
    assert main(["keys", "rotate"]) == 0
    assert main(["keys", "destroy", "2"]) == 2
    assert "it is the current key" in capsys.readouterr().err
    assert main(["keys", "destroy", "7"]) == 2
    assert "key version 7 is not in the key file (it holds 1, 2)" in capsys.readouterr().err
    assert main(["keys", "destroy", "1"]) == 2
    assert capsys.readouterr().err == (
        "arvio: key version 1 is still needed by retained data (1 pseudonyms, 0 sealed free texts, 0 live ticket "
        "keys); wait until retention has cleared them, or pass --force to make them unmatchable and unreadable "
        "for good.\n")
    assert load_key_ring(key_file, None).versions == (1, 2)
    # once retention has cleared the pseudonyms (30 days after the quarter), nothing needs version 1
    with database.transaction() as session:
        run_retention(session, policy=RetentionPolicy(retention_days=3650), now=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    assert main(["keys", "destroy", "1"]) == 0
    assert "master key version 1 destroyed." in capsys.readouterr().out
    assert load_key_ring(key_file, None).versions == (2,)
    assert json.loads(key_file.read_text())["keys"][0]["version"] == 2
    with database.transaction(write=False) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "keys.destroy"))
        assert event is not None and event.detail == {"forced": False, "pseudonyms": 0, "free_texts": 0,
                                                      "ticket_keys": 0}


def test_forced_destruction_leaves_pseudonyms_nobody_can_recompute(database: Database, key_file: Path) -> None:
    person = demographics(PEOPLE[2], gender="female")
    submit(database, [answer("old", 1, at=NOW - dt.timedelta(days=2), demo=person, text="secret")],
           load_key_ring(key_file, None))
    assert main(["keys", "rotate"]) == 0
    assert main(["keys", "destroy", "1", "--force"]) == 0
    ring = load_key_ring(key_file, None)
    with database.transaction() as session:
        usage = key_usage(session, 1, now=NOW)
        assert (usage.pseudonyms, usage.free_texts) == (1, 1)
        receipt = erase_respondent(session, PEOPLE[2], ring=ring, scope=ErasureScope(), actor="t", now=NOW).receipt
    assert (receipt.ratings_deleted, receipt.key_versions_searched) == (0, "2")  # documented: unfindable
    # a new answer of the same person cannot be linked to the old one either: both count
    submit(database, [answer("new", 5, at=NOW - dt.timedelta(days=1), demo=person)], ring)
    assert sorted(sum(counts) for counts in cube(database).values()) == [2]


def test_keys_in_the_environment_cannot_be_destroyed_in_place(database: Database) -> None:
    settings = Settings(database_url=database.engine.url.render_as_string(hide_password=False), environment="test",
                        master_key=KeyRing((V1,)).to_json())
    with database.transaction() as session, pytest.raises(ValueError, match="ARVIO_MASTER_KEY cannot be destroyed"):
        destroy_key(settings, session, 1, now=NOW, actor="t")


def test_unknown_version_is_a_domain_error(database: Database, key_file: Path) -> None:
    with database.transaction() as session, pytest.raises(DomainError) as info:
        destroy_key(settings_for(database, key_file), session, 3, now=NOW, actor="t")
    assert info.value.code == "UNKNOWN_KEY_VERSION"
