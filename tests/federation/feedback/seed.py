"""Feedback items for the feedback tests: two organisations' services and ratings with sealed free texts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from federation.privacy.protector import free_text_aad
from federation.ratings.models import Rating
from federation.registry.service import Names, upsert_organisation, upsert_service
from pseudonymize.keys import KeyRing
from pseudonymize.seal import seal
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B, TEST_KEY

RING = KeyRing((TEST_KEY,))
STARS = "national.transaction-smooth"


def registry(session: Session) -> None:
    """Organisation A reports for service A, B for service B."""
    upsert_organisation(session, ORG_A, Names("Esimerkkilän kaupunki"), now=NOW)
    upsert_organisation(session, ORG_B, Names("Demovirasto"), now=NOW)
    session.flush()
    upsert_service(session, SERVICE_A, Names("Kirjastokortti", "Bibliotekskort", "Library card"), now=NOW,
                   organisation_ids=(ORG_A,))
    upsert_service(session, SERVICE_B, Names("Rakennuslupa"), now=NOW, organisation_ids=(ORG_B,))
    session.flush()


def rating(session: Session, ref: str, *, value: int | None = 1, text: str | None = "Jono oli pitkä",
           drivers: str | None = "efficiency", org: str = ORG_A, service: str = SERVICE_A,
           at: dt.datetime = NOW, channel: str | None = None) -> int:
    """Store one answer (stars) with its follow-up; returns its id."""
    row = Rating(organisation_id=org, client_ref=ref, service_id=service, channel_id=channel, question_id=STARS,
                 wording_version=1, value=value, skipped=value is None, answered_at=at, received_at=at,
                 locale="fi", drivers=drivers,
                 free_text=seal(text, RING.current, associated_data=free_text_aad(org, service)) if text else None)
    session.add(row)
    session.flush()
    return row.id
