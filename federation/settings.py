"""The one settings object of arvio, built once at start-up from ``ARVIO_*`` environment variables.

Domain functions never read the environment themselves: the settings are passed in.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

ENVIRONMENTS = ("development", "production", "test")
LOG_FORMATS = ("json", "console")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
EXPOSURE_COMMITS = ("batched", "durable")
POOLERS = ("none", "pgbouncer-transaction")


class SettingsError(ValueError):
    """An ``ARVIO_*`` variable has a value arvio cannot use; the message names the variable and the fix."""


@dataclass(frozen=True)
class Settings:
    """Configuration of one arvio process. See README.md "Configuration" for each variable."""

    database_url: str = "sqlite:///arvio.db"
    read_database_url: str | None = None
    """A PostgreSQL hot standby of ``database_url`` for the reads that tolerate lag (federation/db.py)."""
    database_pooler: str = "none"
    """``pgbouncer-transaction`` when the URLs go through PgBouncer in transaction mode: no prepared statements."""
    listen_database_url: str | None = None
    """A direct (not pooled) URL of the primary for LISTEN (federation/shared/stamps.py); ``database_url`` if unset."""
    environment: str = "development"
    publication_threshold: int = 10
    max_batch_items: int = 1000
    max_body_bytes: int = 2_000_000
    max_upload_bytes: int = 200_000_000
    max_query_depth: int = 10
    max_query_tokens: int = 2000
    max_aliases: int = 30
    rate_limit_per_minute: int = 600
    receipt_lookups_per_minute: int = 30
    exposure_commit: str = "batched"
    """``batched``: draws' exposure counts are committed every few seconds (a crash loses at most that much);
    ``durable``: a draw is answered once its count is committed (schema/http/exposure_commits.py)."""
    retention_days: int = 730
    max_answer_age_days: int = 365
    key_file: Path | None = None
    master_key: str | None = field(default=None, repr=False)
    signing_key_file: Path | None = None
    ranking_prior_weight: int = 20
    research_threshold: int = 10
    research_budget_epsilon: float = 10.0
    research_global_budget_epsilon: float = 100.0
    log_format: str = "console"
    log_level: str = "INFO"
    metrics_allow: str = "127.0.0.1,::1"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = True
    smtp_from: str = "arvio <noreply@localhost>"
    notify_max_attempts: int = 8
    export_cache_seconds: int = 300
    """How long a rendered whole-catalogue export is reused while its answers are unchanged (0: never reused);
    schema/http/export_cache.py."""
    accessibility_contact: str = "saavutettavuus@arvio.example"
    """Where the accessibility statement (``/accessibility``) asks for feedback: an e-mail address or an https URL."""

    def __post_init__(self) -> None:
        if self.environment not in ENVIRONMENTS:
            raise SettingsError(
                f"ARVIO_ENV is {self.environment!r}; use one of {', '.join(ENVIRONMENTS)}."
            )
        if self.read_database_url is not None and not (
                self.read_database_url.startswith("postgresql") and self.database_url.startswith("postgresql")):
            raise SettingsError("ARVIO_READ_DATABASE_URL must be a postgresql:// URL of a hot standby of the "
                                "PostgreSQL database in ARVIO_DATABASE_URL; unset it to read from the primary.")
        if self.listen_database_url is not None and not self.listen_database_url.startswith("postgresql"):
            raise SettingsError("ARVIO_LISTEN_DATABASE_URL must be a postgresql:// URL that reaches the primary "
                                "directly (not through a transaction-mode pooler); unset it to use "
                                "ARVIO_DATABASE_URL.")
        if self.database_pooler not in POOLERS:
            raise SettingsError(f"ARVIO_DATABASE_POOLER is {self.database_pooler!r}; use one of {', '.join(POOLERS)}.")
        if self.exposure_commit not in EXPOSURE_COMMITS:
            raise SettingsError(f"ARVIO_EXPOSURE_COMMIT is {self.exposure_commit!r}; use one of "
                                f"{', '.join(EXPOSURE_COMMITS)}.")
        if self.publication_threshold < 1:
            raise SettingsError("ARVIO_PUBLICATION_THRESHOLD must be at least 1.")
        if self.environment == "production" and self.publication_threshold < 10:
            raise SettingsError(
                "ARVIO_PUBLICATION_THRESHOLD may not be below 10 in production; raise it to 10 or more."
            )
        if not 1 <= self.receipt_lookups_per_minute <= 10_000:
            raise SettingsError("ARVIO_RECEIPT_LOOKUPS_PER_MINUTE must be between 1 and 10000 (receipt pages "
                                "opened per client address and minute).")
        if not 1 <= self.max_batch_items <= 1000:
            raise SettingsError("ARVIO_MAX_BATCH_ITEMS must be between 1 and 1000.")
        if self.ranking_prior_weight < 0:
            raise SettingsError("ARVIO_RANKING_PRIOR_WEIGHT must be zero or more (virtual answers at the "
                                "national mean).")
        if self.research_threshold < 1 or (self.environment == "production" and self.research_threshold < 10):
            raise SettingsError("ARVIO_RESEARCH_THRESHOLD must be at least 1, and at least 10 in production "
                                "(every published cell and margin rests on that many respondents).")
        if not 0 <= self.research_budget_epsilon <= self.research_global_budget_epsilon:
            raise SettingsError("ARVIO_RESEARCH_BUDGET_EPSILON must be zero or more and at most "
                                "ARVIO_RESEARCH_GLOBAL_BUDGET_EPSILON.")
        self._check_operations()
        self._check_notifications()
        self._check_accessibility_contact()

    def _check_notifications(self) -> None:
        if not 1 <= self.smtp_port <= 65535:
            raise SettingsError("ARVIO_SMTP_PORT must be a TCP port, 1–65535 (587 with STARTTLS, 465 is not "
                                "supported: use STARTTLS).")
        if any(c in self.smtp_from for c in "\r\n") or "@" not in parseaddr(self.smtp_from)[1]:
            raise SettingsError("ARVIO_SMTP_FROM must be one sender address, e.g. noreply@example.fi or "
                                "arvio <noreply@example.fi>.")
        if not 1 <= self.notify_max_attempts <= 50:
            raise SettingsError("ARVIO_NOTIFY_MAX_ATTEMPTS must be 1–50 (attempts of one notification before it "
                                "is marked failed).")

    def _check_accessibility_contact(self) -> None:
        contact = self.accessibility_contact
        plain = len(contact) <= 200 and contact.isprintable() and " " not in contact and "<" not in contact
        address = parseaddr(contact)[1]
        is_email = address == contact and re.fullmatch(r"[^@\s\"]+@[^@\s\"]+\.[^@\s\"]+", contact) is not None
        is_url = re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~%/?=&#+-]*)?", contact) is not None
        if not plain or not (is_email or is_url):
            raise SettingsError("ARVIO_ACCESSIBILITY_CONTACT must be one e-mail address (e.g. "
                                "saavutettavuus@example.fi) or an https URL of a feedback form, at most 200 "
                                "characters.")

    def _check_operations(self) -> None:
        if self.log_format not in LOG_FORMATS:
            raise SettingsError(f"ARVIO_LOG_FORMAT is {self.log_format[:40]!r}; use json (one JSON object per line, "
                                "for log collectors) or console (for people).")
        if self.log_level not in LOG_LEVELS:
            raise SettingsError(f"ARVIO_LOG_LEVEL is {self.log_level[:40]!r}; use one of {', '.join(LOG_LEVELS)}.")
        self.metrics_networks  # noqa: B018 - parsing is the check
        if not 0 <= self.export_cache_seconds <= 86_400:
            raise SettingsError("ARVIO_EXPORT_CACHE_SECONDS must be 0–86400 (seconds a rendered export is reused "
                                "while its answers are unchanged; 0 renders every request).")

    @property
    def metrics_networks(self) -> Networks:
        """``ARVIO_METRICS_ALLOW``: the addresses and networks that may read ``/metrics`` (``none``: nobody)."""
        return parse_networks(self.metrics_allow)

    @property
    def is_development(self) -> bool:
        """GraphiQL and field suggestions are offered only in development."""
        return self.environment == "development"

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build the settings from ``ARVIO_*`` variables; unset variables keep their defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, kind in _VARIABLES.items():
            raw = env.get(f"ARVIO_{name.upper()}")
            if raw is None or raw == "":
                continue
            values[_FIELD_FOR.get(name, name)] = _parse(name, raw, kind)
        return cls(**values)  # type: ignore[arg-type]


_VARIABLES: dict[str, type] = {
    "database_url": str,
    "read_database_url": str,
    "database_pooler": str,
    "listen_database_url": str,
    "env": str,
    "publication_threshold": int,
    "max_batch_items": int,
    "max_body_bytes": int,
    "max_upload_bytes": int,
    "max_query_depth": int,
    "max_query_tokens": int,
    "max_aliases": int,
    "rate_limit_per_minute": int,
    "receipt_lookups_per_minute": int,
    "exposure_commit": str,
    "retention_days": int,
    "max_answer_age_days": int,
    "key_file": Path,
    "master_key": str,
    "signing_key_file": Path,
    "ranking_prior_weight": int,
    "research_threshold": int,
    "research_budget_epsilon": float,
    "research_global_budget_epsilon": float,
    "log_format": str,
    "log_level": str,
    "metrics_allow": str,
    "smtp_host": str,
    "smtp_port": int,
    "smtp_user": str,
    "smtp_password": str,
    "smtp_starttls": bool,
    "smtp_from": str,
    "notify_max_attempts": int,
    "export_cache_seconds": int,
    "accessibility_contact": str,
}
_FIELD_FOR = {"env": "environment"}
_CASE = {"log_level": str.upper, "log_format": str.lower}


def _parse(name: str, raw: str, kind: type) -> object:
    if name in _CASE:
        return _CASE[name](raw.strip())
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"ARVIO_{name.upper()} must be a whole number, got {raw!r}.") from None
    if kind is bool:
        if raw.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if raw.strip().lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"ARVIO_{name.upper()} must be true or false, got {raw!r}.")
    if kind is float:
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"ARVIO_{name.upper()} must be a number such as 10 or 0.5, got {raw!r}.") from None
    return kind(raw)


def parse_networks(text: str) -> Networks:
    """Comma-separated addresses or networks (``127.0.0.1``, ``10.0.0.0/8``, ``::1``), or ``none``."""
    if text.strip().lower() == "none":
        return ()
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise SettingsError(f"ARVIO_METRICS_ALLOW holds {entry[:60]!r}, which is not an address or network; "
                                "write e.g. 127.0.0.1,10.0.0.0/8, or none.") from None
    return tuple(networks)
