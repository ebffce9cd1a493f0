"""Imports every table module so ``Base.metadata`` is complete (for Alembic and for tests)."""

from federation.audit.models import AuditEvent
from federation.auth.models import ApiToken
from federation.battery.models import Question, QuestionVersion
from federation.db import Base
from federation.ratings.models import Rating, RollupHourly
from federation.registry.models import Channel, Organisation, Service, ServiceChannel, ServiceOrganisation

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "Channel",
    "Organisation",
    "Question",
    "QuestionVersion",
    "Rating",
    "RollupHourly",
    "Service",
    "ServiceChannel",
    "ServiceOrganisation",
]
