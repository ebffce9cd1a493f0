"""Imports every table module so ``Base.metadata`` is complete (for Alembic and for tests)."""

from federation.analytics.models import ServiceEvent
from federation.audit.models import AuditEvent
from federation.auth.models import ApiToken
from federation.battery.models import Question, QuestionVersion, QuestionWeight
from federation.db import Base
from federation.feedback.models import (
    FeedbackNote,
    FeedbackReceipt,
    FeedbackReply,
    FeedbackState,
    FeedbackThemeSetting,
)
from federation.notify.models import NotificationOutbox, NotificationSubscription
from federation.pages.models import Page, PageAnswer, PageAnswerHourly
from federation.privacy.models import DemographicCell, ErasureReceipt
from federation.publication.models import Publication, PublicationKpi, PublicationScore
from federation.ratings.models import Rating, SealedTicketKey, TicketUse
from federation.registry.models import Channel, Organisation, Service, ServiceChannel, ServiceOrganisation
from federation.research.models import PrivacyBudget, ResearchAnswer
from federation.rollups.models import RollupDriverHourly, RollupHourly
from federation.shared.models import RateBucket, ScoreStamp
from federation.volumes.models import ServiceVolumeDaily

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "Channel",
    "DemographicCell",
    "ErasureReceipt",
    "FeedbackNote",
    "FeedbackReceipt",
    "FeedbackReply",
    "FeedbackState",
    "FeedbackThemeSetting",
    "NotificationOutbox",
    "NotificationSubscription",
    "Organisation",
    "Page",
    "PageAnswer",
    "PageAnswerHourly",
    "PrivacyBudget",
    "Publication",
    "PublicationKpi",
    "PublicationScore",
    "Question",
    "QuestionVersion",
    "QuestionWeight",
    "RateBucket",
    "Rating",
    "ResearchAnswer",
    "RollupDriverHourly",
    "RollupHourly",
    "ScoreStamp",
    "SealedTicketKey",
    "Service",
    "ServiceChannel",
    "ServiceEvent",
    "ServiceOrganisation",
    "ServiceVolumeDaily",
    "TicketUse",
]
