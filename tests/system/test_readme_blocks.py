"""Every shell block of README.md, run in order against ``.venv/bin/arvio serve --demo``: a newcomer pastes the
README's commands and they must work, so a block that fails fails the suite.

The rules (also stated in README.md, "Two commands"):

- Blocks fenced as ```` ```bash ```` or ```` ```sh ```` are run; other fences (python, graphql, html, json, cron) are
  not. A block right after the line ``<!-- readme-test: skip (reason) -->`` is skipped; the reason is the test's
  skip reason, so ``pytest -ra`` lists every skipped block with its line and why.
- A block right after ``<!-- readme-test: background (HOST:PORT) -->`` is a server the README runs "in its own
  terminal" (a mail sink, a webhook receiver): it is started in the background, with the variables of the blocks
  before it, the port must be free before and accept connections within a minute, and it is stopped when the
  module's tests end.
- The server is started as the README says, ``.venv/bin/arvio serve --demo`` (on a free port), in a temporary
  directory that holds a symbolic link to each top-level entry of the repository: ``.venv/bin/arvio``,
  ``bench/``, ``deploy/`` and ``docs/`` resolve as in a checkout, while ``arvio.db``, the key files and every file a
  block writes stay in the temporary directory. No ``ARVIO_*`` variable of the test run reaches the server or
  the blocks: they see what a newcomer's shell has.
- ``http://127.0.0.1:8000`` and ``localhost:8000`` in a block become the test server's address; nothing else is
  rewritten, so a block must carry real ids (the demo's, see federation/demo.py) rather than placeholders.
- Blocks run one after another in ``bash`` (on one pytest-xdist worker: ``.ci/run`` distributes whole files,
  ``--dist loadfile``) with ``set -euo pipefail``; the variables and functions a block leaves
  (``ORG=$(.venv/bin/arvio token issue …)``) are kept in an environment file for the blocks after it.
- ``curl`` in a block is the real curl with ``--fail-with-body`` added (unless the block asks for the status with
  ``-w``/``--write-out`` itself or already says ``-f``), so an HTTP error status fails the block. A GraphQL answer
  is HTTP 200 even with errors, so every JSON object the block prints is also read: an ``errors`` entry whose
  ``extensions.code`` the block's text does not name (e.g. in a comment ``# INVALID_STATUS_TRANSITION``) fails
  the block. ``pytest -rP`` shows what each block printed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
FENCE = re.compile(r"^```(\w*)\s*$")
SKIP = re.compile(r"^<!--\s*readme-test:\s*skip\s*\((.+)\)\s*-->\s*$")
BACKGROUND = re.compile(r"^<!--\s*readme-test:\s*background\s*\((127\.0\.0\.1):(\d{1,5})\)\s*-->\s*$")
MARKER = re.compile(r"^\s*<!--\s*readme-test")
RUN_LANGUAGES = {"bash", "sh"}
README_ADDRESSES = ("http://127.0.0.1:8000", "localhost:8000")
START_DEADLINE_S = 600.0
BLOCK_TIMEOUT_S = 600.0
# Left out of the temporary directory: what the demo server and the blocks create there themselves.
NOT_LINKED = {".git", "arvio.db", "arvio.db-wal", "arvio.db-shm", "arvio-keys.json", "arvio-signing-keys.json"}

# Run before each block: the curl of the rules above, then the variables and functions of the blocks before it.
PRELUDE = r"""
curl() {
  local arg
  for arg in "$@"; do
    case "$arg" in --write-out|--fail|--fail-with-body|-[!-]*[fw]*|-[fw]*) command curl "$@"; return;; esac
  done
  command curl --fail-with-body "$@"
}
__base_vars=$(compgen -v)
source "$README_TEST_ENV"
set -euo pipefail
"""
# Run after each block that exited 0: keep its variables (exported ones stay exported) and functions.
EPILOGUE = r"""
set +euo pipefail
{
  for __name in $(compgen -v); do
    case "$__name" in
      __*|BASH*|FUNCNAME|PIPESTATUS|_|SHELLOPTS|SHLVL|PWD|OLDPWD|RANDOM|LINENO|SECONDS|EPOCH*|SRANDOM) continue;;
      GROUPS|HISTCMD|COLUMNS|LINES|PPID|UID|EUID) continue;;
    esac
    case $'\n'"$__base_vars"$'\n' in *$'\n'"$__name"$'\n'*) ;; *) declare -p "$__name";; esac
  done
  for __name in $(compgen -A function); do
    [ "$__name" = curl ] || declare -f "$__name"
  done
} > "$README_TEST_ENV.next"
mv "$README_TEST_ENV.next" "$README_TEST_ENV"
"""


@dataclass(frozen=True)
class Block:
    """One fenced shell block of README.md: where it starts, its section, its text and why it is skipped."""

    line: int
    section: str
    text: str
    skip: str | None
    background: tuple[str, int] | None = None

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.section.lower()).strip("-")[:40]
        return f"L{self.line}-{slug}"


def readme_blocks(text: str) -> list[Block]:
    """The bash/sh blocks of README text in order, each with the skip reason of the marker right before it."""
    blocks: list[Block] = []
    lines = text.splitlines()
    section, index = "", 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("## "):
            section = line[3:].strip()
        fence = FENCE.match(line)
        if not fence:
            index += 1
            continue
        end = next((j for j in range(index + 1, len(lines)) if lines[j].startswith("```")), len(lines))
        if fence.group(1) in RUN_LANGUAGES:
            previous = lines[index - 1] if index else ""
            skip, background = SKIP.match(previous), BACKGROUND.match(previous)
            blocks.append(Block(index + 1, section, "\n".join(lines[index + 1:end]) + "\n",
                                skip.group(1).strip() if skip else None,
                                (background.group(1), int(background.group(2))) if background else None))
        index = end + 1
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


def test_every_skip_marker_stands_right_before_a_shell_block() -> None:
    """A marker that is misspelt, has no reason or is not followed by a bash/sh fence would skip nothing (or the
    wrong thing) silently."""
    lines = README.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not MARKER.search(line):
            continue
        assert SKIP.match(line) or BACKGROUND.match(line), (
            f"README.md line {number}: write <!-- readme-test: skip (reason) --> or "
            "<!-- readme-test: background (127.0.0.1:PORT) -->")
        following = FENCE.match(lines[number]) if number < len(lines) else None
        assert following and following.group(1) in RUN_LANGUAGES, (
            f"README.md line {number}: the marker must be followed directly by a ```bash or ```sh block")
    skipped = [block for block in BLOCKS if block.skip]
    assert len(skipped) <= len(BLOCKS) // 3, "most README blocks must run in the test"


def test_blocks_are_read_with_their_sections_and_markers() -> None:
    text = ("## One\n```bash\necho a\n```\n<!-- readme-test: skip (too slow) -->\n```sh\nsleep 600\n```\n"
            "```python\nprint(1)\n```\n## Two\n<!-- readme-test: background (127.0.0.1:9000) -->\n```bash\n"
            "serve\n```\n")
    assert readme_blocks(text) == [Block(2, "One", "echo a\n", None), Block(6, "One", "sleep 600\n", "too slow"),
                                   Block(14, "Two", "serve\n", None, ("127.0.0.1", 9000))]


def test_only_graphql_errors_the_block_names_are_allowed() -> None:
    output = ('{"data":null,"errors":[{"message":"m","extensions":{"code":"INVALID_STATUS_TRANSITION"}}]}\n'
              'receipt: {not json} {"data":{"x":{"code":"VALUE_OUT_OF_RANGE"}}} {"errors":[{"message":"no code"}]}')
    assert unexpected_errors(output, "gql … # INVALID_STATUS_TRANSITION") == ['{"message": "no code"}']
    assert unexpected_errors(output, "nothing named") == ["INVALID_STATUS_TRANSITION", '{"message": "no code"}']


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _newcomer_environment() -> dict[str, str]:
    """The test run's environment less every ARVIO_* variable, the terminal (no progress bars) and the
    repository's virtual environment on PATH."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ARVIO_", "PYTEST_", "HYPOTHESIS_")) and key != "TERM"}
    env.pop("VIRTUAL_ENV", None)
    # The README says .venv/bin/arvio: a PATH that already holds the virtual environment would hide a bare `arvio`.
    venv = str(REPO / ".venv")
    env["PATH"] = os.pathsep.join(part for part in env.get("PATH", "").split(os.pathsep)
                                  if part and not part.startswith(venv))
    return env


@dataclass(frozen=True)
class Demo:
    """The running demo: its address, its directory and the environment file the blocks share."""

    base_url: str
    directory: Path
    env_file: Path
    background: list[subprocess.Popen[bytes]]


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_DEADLINE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"arvio serve --demo exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"arvio serve --demo was not ready within {START_DEADLINE_S:.0f} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """``.venv/bin/arvio serve --demo`` on a free port in a fresh directory that looks like the repository."""
    if not (REPO / ".venv" / "bin" / "arvio").exists():
        pytest.skip("needs the repository's .venv (bash .ci/setup)")
    directory = tmp_path_factory.mktemp("readme")
    for entry in REPO.iterdir():
        if entry.name not in NOT_LINKED:
            (directory / entry.name).symlink_to(entry)
    port = _free_port()
    log = directory / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([".venv/bin/arvio", "serve", "--demo", "--port", str(port)], cwd=directory,
                                   env=_newcomer_environment(), stdout=sink, stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_ready(process, base_url, log)
        env_file = directory / ".readme-test.env"
        env_file.write_text("")
        demo = Demo(base_url, directory, env_file, [])
        try:
            yield demo
        finally:
            for job in demo.background:
                _stop(job)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _stop(job: subprocess.Popen[bytes]) -> None:
    """Stop a background block and everything it started (its own process group)."""
    if job.poll() is None:
        os.killpg(job.pid, signal.SIGTERM)
        try:
            job.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(job.pid, signal.SIGKILL)
            job.wait()


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _start_background(block: Block, demo: Demo, env: dict[str, str]) -> None:
    """Start a server block in its own process group and wait until its address accepts connections."""
    assert block.background is not None
    host, port = block.background
    assert not _accepts(host, port), f"README.md line {block.line}: {host}:{port} is already in use"
    log = demo.directory / f"background-{block.line}.log"
    with log.open("wb") as sink:
        job = subprocess.Popen(["bash", "-c", _as_run(block, demo.base_url, PRELUDE, "")], cwd=demo.directory,
                               env=env, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    demo.background.append(job)
    deadline = time.monotonic() + 60
    while not _accepts(host, port):
        assert job.poll() is None and time.monotonic() < deadline, (
            f"README.md line {block.line}: the server did not listen on {host}:{port}\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def _as_run(block: Block, base_url: str, prelude: str = PRELUDE, epilogue: str = EPILOGUE) -> str:
    text = block.text
    for address in README_ADDRESSES:
        text = text.replace(address, base_url if address.startswith("http") else base_url.removeprefix("http://"))
    return prelude + text + epilogue


def _json_objects(output: str) -> Iterator[object]:
    """Every JSON object printed in the output, among other text."""
    decoder = json.JSONDecoder()
    index = output.find("{")
    while index != -1:
        try:
            value, end = decoder.raw_decode(output, index)
        except ValueError:
            index = output.find("{", index + 1)
            continue
        yield value
        index = output.find("{", end)


def unexpected_errors(output: str, block_text: str) -> list[str]:
    """The GraphQL error codes in the output that the block does not name."""
    codes: list[str] = []
    for value in _json_objects(output):
        if not isinstance(value, dict) or not isinstance(value.get("errors"), list):
            continue
        for error in value["errors"]:
            extensions = error.get("extensions") if isinstance(error, dict) else None
            code = extensions.get("code") if isinstance(extensions, dict) else None
            codes.append(str(code) if code else json.dumps(error)[:300])
    return [code for code in codes if not re.search(rf"\b{re.escape(code)}\b", block_text)]


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_readme_block(block: Block, demo: Demo) -> None:
    """The block exits 0 under ``set -euo pipefail`` and prints no GraphQL error it does not name."""
    if block.skip:
        pytest.skip(f"README.md line {block.line} ({block.section}): {block.skip}")
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    env = _newcomer_environment() | {"README_TEST_ENV": str(demo.env_file)}
    if block.background:
        _start_background(block, demo, env)
        return
    result = subprocess.run(["bash", "-c", _as_run(block, demo.base_url)], check=False, cwd=demo.directory, env=env,
                            capture_output=True, text=True, timeout=BLOCK_TIMEOUT_S, stdin=subprocess.DEVNULL)
    where = f"README.md line {block.line} ({block.section})"
    print(f"--- {where}\n{result.stdout}")  # shown by pytest -rP
    assert result.returncode == 0, (
        f"{where} exited {result.returncode}\n--- block\n{block.text}--- stdout\n{result.stdout[-4000:]}"
        f"\n--- stderr\n{result.stderr[-4000:]}")
    errors = unexpected_errors(result.stdout, block.text)
    assert not errors, f"{where} printed GraphQL errors {errors}\n--- stdout\n{result.stdout[-4000:]}"
