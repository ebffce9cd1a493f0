"""Checking what organisations subscribe: e-mail addresses and webhook URLs, and the forms they are kept in.

Addresses and URLs are normalised, bounded and checked before anything is stored; the refusals carry a
:class:`~federation.errors.NotifyCode` and say how to fix the input, never echoing it (it may be personal data).
``target_hash`` names a target in log lines and keeps one subscription per target; ``hint`` is the masked form
shown in lists (federation/notify/models.py).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from urllib.parse import urlsplit

from federation.errors import DomainError, NotifyCode

MAX_EMAIL = 254
MAX_URL = 2000
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LOCAL_HOSTS = {"localhost", "localhost.localdomain"}


def _domain(raw: str) -> str | None:
    """The domain in ASCII (IDNA), lower-case, or None when it is not a valid host name with a dot."""
    try:
        ascii_domain = raw.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    return ascii_domain


def normalise_email(raw: str) -> str:
    """``local@domain`` with the domain in lower-case ASCII; INVALID_EMAIL for anything else."""
    text = raw.strip()
    local, at, domain = text.rpartition("@")
    ascii_domain = _domain(domain) if at and len(text) <= MAX_EMAIL else None
    if ascii_domain is None or len(local) > 64 or not _LOCAL.match(local):
        raise DomainError(NotifyCode.INVALID_EMAIL,
                          f"address is not a valid e-mail address: give one like name@example.fi (at most "
                          f"{MAX_EMAIL} characters, no spaces, quotes or display name).")
    return f"{local}@{ascii_domain}"


def _private_host(host: str) -> bool:
    if host in _LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def normalise_webhook_url(raw: str, *, allow_http: bool) -> str:
    """An absolute https URL (http too when ``allow_http``, i.e. outside production) without credentials or a
    fragment; in production the host may not be a loopback, private or link-local address."""
    text = raw.strip()
    schemes = ("https", "http") if allow_http else ("https",)
    fix = (f"url must be an absolute {' or '.join(schemes)} URL of at most {MAX_URL} characters without user "
           "name, password or #fragment, e.g. https://hooks.example.fi/arvio")
    if not text or len(text) > MAX_URL or any(ord(c) < 33 or ord(c) == 127 for c in text):
        raise DomainError(NotifyCode.INVALID_WEBHOOK_URL, fix)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise DomainError(NotifyCode.INVALID_WEBHOOK_URL, fix) from None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in schemes or not host or parts.username or parts.password or parts.fragment:
        raise DomainError(NotifyCode.INVALID_WEBHOOK_URL, fix)
    if not allow_http and _private_host(host):
        raise DomainError(NotifyCode.INVALID_WEBHOOK_URL, "url points at a local or private address; in production "
                                                          "webhooks go to public hosts only.")
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host:
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    return parts._replace(scheme=parts.scheme.lower(), netloc=netloc).geturl()


def target_hash(target: str) -> str:
    """SHA-256 hex of a normalised target: names it in logs and keeps one subscription per target (e-mail
    addresses are hashed in lower case: mailboxes do not tell case apart in practice)."""
    return hashlib.sha256(target.encode("utf-8")).hexdigest()


def email_hint(address: str) -> str:
    """The masked address shown in lists: the local part's first character, then the domain (``n…@example.fi``)."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}…@{domain}"[:120]


def url_hint(url: str) -> str:
    """The URL shown in lists: scheme and host only (paths and queries may carry tokens)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…"[:120]
