"""Expected failures of the domain: each carries a stable code (shown as ``extensions.code``) and a fixing message."""

from __future__ import annotations


class DomainError(Exception):
    """A request arvio understood but must refuse. ``code`` is stable API; ``message`` says how to fix it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(DomainError):
    """The thing asked for does not exist (or the caller may not know it exists)."""


class Forbidden(DomainError):
    """The caller's token does not allow this."""

    def __init__(self, message: str, code: str = "FORBIDDEN") -> None:
        super().__init__(code, message)


class Unauthenticated(DomainError):
    """No valid token was given where one is needed."""

    def __init__(self, message: str) -> None:
        super().__init__("UNAUTHENTICATED", message)
