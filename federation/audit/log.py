"""Writing audit events (in the caller's transaction, so the record and the action commit together)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from federation.audit.models import AuditEvent


def record(
    session: Session, *, actor: str, action: str, subject: str | None, now: dt.datetime, **detail: object
) -> None:
    """Add an audit event to the session's transaction. ``detail`` must never hold a raw identifier."""
    session.add(AuditEvent(at=now, actor=actor, action=action, subject=subject, detail=dict(detail)))
