"""The publication commands of ``arvio``: catalogue import, publications, export and verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from federation.db import Database
from schema.cli.main import main
from tests.exporters.seed import PERIOD, seed_ratings
from tests.federation.registry.test_catalogue import FIXTURES


@pytest.fixture
def env(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARVIO_DATABASE_URL", database.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ARVIO_ENV", "test")
    monkeypatch.setenv("ARVIO_SIGNING_KEY_FILE", str(tmp_path / "signing.json"))
    return tmp_path


def test_catalogue_import_prints_counts_and_problems(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "import", "--quiet", str(FIXTURES)]) == 0
    out, err = capsys.readouterr()
    assert "service: created 4" in out and "problems: 8" in out
    assert "services.json[3]: service id 'not-a-guid' is not a GUID. The record was skipped." in err
    assert main(["catalogue", "import", "--quiet", str(FIXTURES)]) == 0
    assert "service: unchanged 4" in capsys.readouterr().out


def test_publish_export_and_verify(database: Database, env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed_ratings(database)
    assert main(["publication", "draft", "--period", PERIOD]) == 0
    assert main(["publication", "publish", "1"]) == 0
    assert main(["publication", "list"]) == 0
    assert "1\t2025-Q4\tpublished" in capsys.readouterr().out
    out = env / "scores.jsonld"
    assert main(["export", "--format", "jsonld", "--out", str(out)]) == 0
    assert (env / "scores.jsonld.sig").exists()
    assert "publication-1: 1 services, signed with arvio-ed25519-" in capsys.readouterr().out
    assert main(["export", "public-key"]) == 0
    (env / "keys.json").write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["export", "verify", str(out), "--keys", str(env / "keys.json")]) == 0
    assert capsys.readouterr().out.startswith(f"OK {out}: signed by arvio-ed25519-")
    data = bytearray(out.read_bytes())
    data[10] ^= 0x20
    out.write_bytes(bytes(data))
    assert main(["export", "verify", str(out), "--keys", str(env / "keys.json")]) == 1
    assert "signature NOT valid" in capsys.readouterr().err


def test_old_exports_verify_after_key_rotation(database: Database, env: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    seed_ratings(database)
    assert main(["export", "--source", "live", "--format", "ptv-json", "--out", str(env / "a.json")]) == 0
    assert main(["export", "keys", "rotate"]) == 0
    assert main(["export", "--source", "live", "--format", "opendata", "--out", str(env / "pkg")]) == 0
    assert main(["export", "verify", str(env / "a.json")]) == 0
    assert main(["export", "verify", str(env / "pkg" / "datapackage.json")]) == 0
    assert main(["export", "verify", str(env / "pkg" / "scores.csv")]) == 0
    signers = {json.loads(p.read_text(encoding="utf-8"))["keyId"] for p in (env / "a.json.sig",
                                                                          env / "pkg" / "scores.csv.sig")}
    assert len(signers) == 2


def test_one_service_export_and_expected_failures(database: Database, env: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    seed_ratings(database)
    from tests.conftest import SERVICE_A, SERVICE_B

    out = env / "one.jsonld"
    assert main(["export", "--source", "live", "--period", PERIOD, "--format", "jsonld", "--service", SERVICE_A,
                 "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["identifier"] == SERVICE_A
    assert main(["export", "--source", "live", "--period", PERIOD, "--format", "jsonld", "--service", SERVICE_B,
                 "--out", str(out)]) == 2
    assert main(["export", "--format", "csv", "--out", str(env / "x.csv")]) == 2  # nothing published yet
    assert "nothing has been published yet" in capsys.readouterr().err
