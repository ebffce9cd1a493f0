"""The deployment files of deploy/: the systemd units parse (``systemd-analyze verify`` where it exists, a check of
the keys they need everywhere), every command they run exists in the CLI and its arguments parse, the environment
file is valid settings, and the nginx example keeps /metrics and the forwarded headers as README.md says."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from federation.settings import Settings
from schema.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("arvio*.*"))
INSTALLED_ARVIO = "/srv/arvio/.venv/bin/arvio"
REQUIRED = {
    ".service": {"Unit": {"Description"}, "Service": {"Type", "User", "EnvironmentFile", "ExecStart",
                                                      "WorkingDirectory"}},
    ".timer": {"Unit": {"Description"}, "Timer": {"OnCalendar", "Unit"}, "Install": {"WantedBy"}},
}


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections and keys (systemd allows a key more than once, so values are lists)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[([A-Za-z]+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), {})
            continue
        key, sep, value = line.partition("=")
        assert current is not None and sep and re.fullmatch(r"[A-Za-z]+", key), f"{path.name}:{number}: {raw}"
        current.setdefault(key, []).append(value)
    return sections


def exec_commands(path: Path) -> list[list[str]]:
    service = parse_unit(path).get("Service", {})
    return [shlex.split(value.lstrip("-+!@:"))
            for key, values in service.items() if key.startswith("Exec") for value in values]


def test_units_have_the_keys_they_need() -> None:
    assert {p.name for p in UNITS} == {"arvio.service", "arvio-retention.service", "arvio-retention.timer",
                                       "arvio-notify.service", "arvio-notify.timer"}
    for unit in UNITS:
        sections = parse_unit(unit)
        for section, keys in REQUIRED[unit.suffix].items():
            assert keys <= sections.get(section, {}).keys(), (unit.name, section)
    timer = parse_unit(DEPLOY / "systemd" / "arvio-retention.timer")
    assert timer["Timer"]["Unit"] == ["arvio-retention.service"]
    assert parse_unit(DEPLOY / "systemd" / "arvio-notify.timer")["Timer"]["Unit"] == ["arvio-notify.service"]
    assert parse_unit(DEPLOY / "systemd" / "arvio.service")["Install"]["WantedBy"] == ["multi-user.target"]


def test_every_exec_command_is_an_arvio_command_that_parses() -> None:
    commands = [command for unit in UNITS if unit.suffix == ".service" for command in exec_commands(unit)]
    assert len(commands) == 3
    parser = build_parser()
    for command in commands:
        assert command[0] == INSTALLED_ARVIO, command
        parser.parse_args(command[1:])  # SystemExit (a failure) when the arguments do not parse
        words = [w for w in command[1:] if not w.startswith("-")][:2]
        subcommand = words if words[0] in {"retention", "notify"} else words[:1]
        done = subprocess.run([sys.executable, "-m", "schema.cli.main", *subcommand, "--help"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0 and "usage: arvio" in done.stdout, (command, done.stderr)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    """The units as systemd reads them, with the installed path of arvio replaced by this checkout's."""
    arvio = Path(sys.executable).with_name("arvio")
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace(INSTALLED_ARVIO, str(arvio))
        (tmp_path / unit.name).write_text(text.replace("WorkingDirectory=/srv/arvio", f"WorkingDirectory={ROOT}"),
                                          encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *sorted(p.name for p in UNITS)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Unknown" not in done.stderr and "ignoring" not in done.stderr, done.stderr


def test_environment_file_is_valid_settings() -> None:
    lines = (DEPLOY / "arvio.env.example").read_text(encoding="utf-8").splitlines()
    environ = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert all(name.startswith("ARVIO_") for name in environ)
    settings = Settings.from_env(environ)
    assert settings.environment == "production" and settings.log_format == "json"
    assert any(str(n) == "192.0.2.50/32" for n in settings.metrics_networks)
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_starttls) == ("smtp.example.fi", 587, True)


def test_nginx_example_restricts_metrics_and_sets_forwarded_headers() -> None:
    text = (DEPLOY / "nginx" / "arvio.conf").read_text(encoding="utf-8")
    metrics = re.search(r"location = /metrics \{(.*?)\}", text, re.S)
    assert metrics and "deny all;" in metrics.group(1) and "allow 192.0.2.50;" in metrics.group(1)
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text  # replaced, never appended
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "ssl_certificate " in text and "listen 443 ssl;" in text
    service = " ".join(exec_commands(DEPLOY / "systemd" / "arvio.service")[0])
    port = re.search(r"--port (\d+)", service)
    assert port and f"server 127.0.0.1:{port.group(1)};" in text
    assert "--proxy-headers --forwarded-allow-ips 127.0.0.1" in service
    assert text.count("{") == text.count("}")
