"""Page URLs in one normal form, so the page a citizen answers on is found whatever way its address was written.

Normal form (:func:`normalise_page_url`): http or https only; no user name or password; host lower-case ASCII
(IDNA); the scheme's default port dropped; an empty path becomes ``/``; the fragment dropped; the query string
dropped unless the page keeps it (a page that differs only by its query); at most :data:`MAX_URL` characters; no
spaces or control characters. Refusals carry ``PagesCode.INVALID_PAGE_URL`` and say how to fix the input without
echoing it. Pure: no database, clock or I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from federation.errors import DomainError, PagesCode

MAX_URL = 2000
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class PageUrl:
    """A normalised page URL and the origin (``scheme://host[:port]``) its answers must come from."""

    url: str
    origin: str

    @property
    def digest(self) -> str:
        """The SHA-256 of the URL (hex), under which the page is stored and found."""
        return url_hash(self.url)


def url_hash(url: str) -> str:
    """The SHA-256 (hex) of a normalised URL."""
    return hashlib.sha256(url.encode()).hexdigest()


def _refuse(problem: str) -> DomainError:
    return DomainError(PagesCode.INVALID_PAGE_URL, f"url {problem}; give the page's full address such as "
                                                   f"https://www.example.fi/path (http or https, at most {MAX_URL} "
                                                   "characters, no user name or password).")


def _host(parts: SplitResult) -> str:
    raw = parts.hostname
    if not raw:
        raise _refuse("has no host name")
    try:
        host = raw.encode("idna").decode("ascii").lower() if not raw.isascii() else raw.lower()
    except UnicodeError:
        raise _refuse("has a host name that is not valid") from None
    if not all(ch.isalnum() or ch in "-.:[]" for ch in host) or host.startswith(".") or ".." in host:
        raise _refuse("has a host name that is not valid")
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _port(parts: SplitResult) -> int | None:
    try:
        port = parts.port
    except ValueError:
        raise _refuse("has a port that is not a number from 0 to 65535") from None
    return None if port == _DEFAULT_PORTS[parts.scheme] else port


def normalise_page_url(raw: str, *, keep_query: bool = False) -> PageUrl:
    """``raw`` in normal form (see the module docstring) with its origin; INVALID_PAGE_URL otherwise."""
    text = raw.strip()
    if not text or len(text) > MAX_URL:
        raise _refuse("is empty or too long" if text else "is empty")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise _refuse("contains spaces or control characters (percent-encode them)")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise _refuse("must start with https:// or http://")
    parts = parts._replace(scheme=scheme)
    if parts.username is not None or parts.password is not None:
        raise _refuse("must not carry a user name or password")
    host, port = _host(parts), _port(parts)
    origin = f"{scheme}://{host}" + (f":{port}" if port is not None else "")
    url = origin + (parts.path or "/") + (f"?{parts.query}" if keep_query and parts.query else "")
    if len(url) > MAX_URL:
        raise _refuse("is too long once normalised")
    return PageUrl(url, origin)


def normalise_origin(raw: str | None) -> str | None:
    """The ``Origin`` header in the form of :attr:`PageUrl.origin`, or None when it is missing or malformed."""
    if not raw or raw == "null" or len(raw) > 300:
        return None
    try:
        page = normalise_page_url(raw)
    except DomainError:
        return None
    return page.origin
