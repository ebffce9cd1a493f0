"""A request id for every HTTP request: the ``X-Request-Id`` response header and the id in log lines.

A well-formed incoming ``X-Request-Id`` (1–64 characters of ``A-Z a-z 0-9 -``) is kept so a proxy's id follows the
request; anything else is replaced by a fresh random id, so a caller can never put arbitrary text into our logs.
"""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
_WELL_FORMED = re.compile(r"[A-Za-z0-9-]{1,64}")
_CURRENT: ContextVar[str] = ContextVar("arvio_request_id", default="-")


def current() -> str:
    """The id of the request being served (``-`` outside a request)."""
    return _CURRENT.get()


def accept_or_generate(incoming: str | None) -> str:
    """``incoming`` if it is a well-formed id, else a new random one."""
    if incoming is not None and _WELL_FORMED.fullmatch(incoming):
        return incoming
    return secrets.token_hex(8)


class RequestIds:
    """ASGI middleware: sets the request id for the request's tasks and threads and echoes it in the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == HEADER.encode()), None)
        request_id = accept_or_generate(incoming)
        token = _CURRENT.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER.encode()]
                message = {**message, "headers": [*headers, (HEADER.encode(), request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _CURRENT.reset(token)
