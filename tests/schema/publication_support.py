"""Settings for publication tests: the shared app settings plus a signing key file in the test's directory."""

from __future__ import annotations

from pathlib import Path

from federation.db import Database
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from tests.conftest import TEST_KEY

CREATE_DRAFT = """mutation($period: String!, $note: String) {
  createPublicationDraft(input: {period: $period, note: $note}) { number period status replaces
    changelog { serviceId channelId questionId change countBefore countAfter } } }"""
PUBLISH = "mutation($n: Int!) { publishPublication(number: $n) { number status publishedAt } }"


def publication_settings(database: Database, tmp_path: Path) -> Settings:
    """What ``tests.conftest.app_settings`` gives, with ``signing_key_file`` under ``tmp_path``."""
    return Settings(database_url=database.engine.url.render_as_string(hide_password=False), environment="test",
                    master_key=KeyRing((TEST_KEY,)).to_json(), rate_limit_per_minute=100_000,
                    signing_key_file=tmp_path / "signing-keys.json")
