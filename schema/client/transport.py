"""HTTP with retries for the organisation client (``schema/client/api.py``).

A request is tried again after a connection error, a timeout, ``429 Too Many Requests`` or any 5xx answer, up to
``RetryPolicy.attempts`` times in all. The wait before attempt *n* is the server's ``Retry-After`` when it sends
one (seconds or an HTTP date, capped at ``RetryPolicy.longest``), else a random time in ``[0, base · 2ⁿ]`` capped
at ``RetryPolicy.cap`` ("full jitter": many clients that failed together do not come back together).

Retrying a POST of ratings or volumes is safe: a rating's ``clientRef`` and a volume report's (service, channel,
day) make each item idempotent, so an item that was stored by an attempt whose answer was lost comes back as a
DUPLICATE and is never counted twice (docs in README "Organisation client").
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))


class ClientError(Exception):
    """A request that did not succeed; the message says what happened and what to do."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry (see the module docstring)."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    longest: float = 300.0

    def __post_init__(self) -> None:
        if not 1 <= self.attempts <= 100:
            raise ValueError("attempts must be 1–100.")
        if not (0 <= self.base <= self.cap <= self.longest):
            raise ValueError("the retry waits must satisfy 0 ≤ base ≤ cap ≤ longest.")

    def wait(self, attempt: int, retry_after: float | None, draw: Callable[[float, float], float]) -> float:
        """Seconds to wait after failed attempt ``attempt`` (0-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.longest)
        return draw(0.0, min(self.cap, self.base * 2 ** min(attempt, 30)))


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """The ``Retry-After`` header in seconds (delta-seconds or an HTTP date), or None when absent or unreadable."""
    if value is None:
        return None
    text = value.strip()[:64]
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return None if when is None or when.tzinfo is None else max(0.0, when.timestamp() - now)


@dataclass
class Transport:
    """An ``httpx.Client`` for one arvio base URL and token, with the retry policy."""

    base_url: str
    token: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    draw: Callable[[float, float], float] = random.uniform
    on_retry: Callable[[str], None] | None = None
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("the arvio URL must start with http:// or https://, e.g. http://127.0.0.1:8000.")
        if not self.token or any(c.isspace() for c in self.token) or len(self.token) > 512:
            raise ValueError("the token must be the one line `arvio token issue` printed (ARVIO_TOKEN).")
        self.client = httpx.Client(base_url=self.base_url.rstrip("/"), timeout=self.timeout,
                                   headers={"Authorization": f"Bearer {self.token}",
                                            "User-Agent": "arvio-client"})

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def post(self, path: str, *, content: bytes | None = None, json: Any = None,
             headers: Mapping[str, str] | None = None) -> httpx.Response:
        """POST with retries; the final answer (any status the caller must read), or ClientError."""
        for attempt in range(self.policy.attempts):
            last = attempt == self.policy.attempts - 1
            try:
                response = self.client.post(path, content=content, json=json, headers=headers)
            except httpx.TransportError as error:
                if last:
                    raise ClientError(f"{self.base_url} did not answer after {self.policy.attempts} attempts "
                                      f"({type(error).__name__}); check the URL and try again.") from None
                self._pause(attempt, None, type(error).__name__)
                continue
            if response.status_code not in RETRY_STATUSES or last:
                return response
            after = retry_after_seconds(response.headers.get("retry-after"), time.time())
            self._pause(attempt, after, f"HTTP {response.status_code}")
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _pause(self, attempt: int, retry_after: float | None, reason: str) -> None:
        wait = self.policy.wait(attempt, retry_after, self.draw)
        if self.on_retry is not None:
            self.on_retry(f"{reason}; retrying in {wait:.1f} s (attempt {attempt + 2} of {self.policy.attempts})")
        self.sleep(wait)
