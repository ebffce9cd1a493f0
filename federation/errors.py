"""Expected failures of the domain: each carries a stable code (shown as ``extensions.code``) and a fixing message.

Codes are enum members, one enum per area (:class:`RequestCode`, :class:`AuthCode`, :class:`RegistryCode`, …); each
member carries the HTTP status of a refusal answered before execution and the ``extensions.classification`` shown
with it. :data:`CODES` is the one table of every code. Members are strings (``StrEnum``): ``error.code == "X"``,
JSON and log lines show the bare code.
"""

from __future__ import annotations

import enum
from typing import Final


class Classification:
    """The ``extensions.classification`` names (Apollo / graphql-java style) generic clients understand."""

    BAD_REQUEST: Final = "BAD_REQUEST"
    BAD_USER_INPUT: Final = "BAD_USER_INPUT"
    UNAUTHENTICATED: Final = "UNAUTHENTICATED"
    FORBIDDEN: Final = "FORBIDDEN"
    RATE_LIMITED: Final = "RATE_LIMITED"
    INTERNAL_SERVER_ERROR: Final = "INTERNAL_SERVER_ERROR"


_REQUEST = Classification.BAD_REQUEST
_INPUT = Classification.BAD_USER_INPUT
_FORBIDDEN = Classification.FORBIDDEN


class ErrorCode(enum.StrEnum):
    """A stable error code with its HTTP status and classification: ``NAME = "NAME", status, classification``."""

    status: int
    classification: str

    def __new__(cls, code: str, status: int = 400, classification: str = _INPUT) -> ErrorCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        member.classification = classification
        return member


class RequestCode(ErrorCode):
    """The request itself (transport, query text, limits, paging) and the edge's own answers."""

    BAD_REQUEST = "BAD_REQUEST", 400, _REQUEST
    UNKNOWN_OPERATION = "UNKNOWN_OPERATION", 400, _REQUEST
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED", 400, _REQUEST
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED", 400, _REQUEST
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY", 400, _REQUEST
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED", 405, _REQUEST
    BODY_TOO_LARGE = "BODY_TOO_LARGE", 413, _REQUEST
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE", 413, _REQUEST
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND", 200, _REQUEST
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH", 400, _REQUEST
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE", 415, _REQUEST
    PAGE_TOO_LARGE = "PAGE_TOO_LARGE", 400, _INPUT
    INVALID_CURSOR = "INVALID_CURSOR", 400, _INPUT
    NOT_FOUND = "NOT_FOUND", 404, _INPUT
    RATE_LIMITED = "RATE_LIMITED", 429, Classification.RATE_LIMITED
    INTERNAL_ERROR = "INTERNAL_ERROR", 500, Classification.INTERNAL_SERVER_ERROR


class AuthCode(ErrorCode):
    """Who is asking: tokens, roles, the organisation a token acts for."""

    UNAUTHENTICATED = "UNAUTHENTICATED", 401, Classification.UNAUTHENTICATED
    FORBIDDEN = "FORBIDDEN", 403, _FORBIDDEN
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED", 403, _FORBIDDEN
    ORGANISATION_NOT_ALLOWED = "ORGANISATION_NOT_ALLOWED", 403, _FORBIDDEN
    NOT_YOUR_SERVICE = "NOT_YOUR_SERVICE", 403, _FORBIDDEN
    # Never answered before execution; the class (Forbidden) has always classified it.
    NOT_YOUR_ORGANISATION = "NOT_YOUR_ORGANISATION", 400, _FORBIDDEN
    ORGANISATION_REQUIRED = "ORGANISATION_REQUIRED"
    EXPIRY_IN_PAST = "EXPIRY_IN_PAST"
    UNKNOWN_TOKEN = "UNKNOWN_TOKEN"  # noqa: S105 - a code, not a secret


class RegistryCode(ErrorCode):
    """Services, channels, organisations and their ids."""

    UNKNOWN_SERVICE = "UNKNOWN_SERVICE", 404, _INPUT
    UNKNOWN_CHANNEL = "UNKNOWN_CHANNEL", 404, _INPUT
    UNKNOWN_ORGANISATION = "UNKNOWN_ORGANISATION", 404, _INPUT
    SERVICE_ARCHIVED = "SERVICE_ARCHIVED", 410, _INPUT
    CHANNEL_NOT_OF_SERVICE = "CHANNEL_NOT_OF_SERVICE"
    NAME_REQUIRED = "NAME_REQUIRED"
    INVALID_BUSINESS_ID = "INVALID_BUSINESS_ID"
    INVALID_ID = "INVALID_ID"


class BatteryCode(ErrorCode):
    """Questions, their wordings and weights, and draws."""

    UNKNOWN_QUESTION = "UNKNOWN_QUESTION", 404, _INPUT
    NOT_YOUR_QUESTION = "NOT_YOUR_QUESTION", 403, _FORBIDDEN
    # Never answered before execution; the class (Forbidden) has always classified it.
    NOT_YOUR_CHANNEL = "NOT_YOUR_CHANNEL", 400, _FORBIDDEN
    # Raised as Forbidden (classified FORBIDDEN) to an organisation, as a plain refusal to retire one.
    NATIONAL_QUESTION = "NATIONAL_QUESTION"
    INVALID_QUESTION_ID = "INVALID_QUESTION_ID"
    QUESTION_EXISTS = "QUESTION_EXISTS"
    QUESTION_RETIRED = "QUESTION_RETIRED"
    INVALID_WEIGHT = "INVALID_WEIGHT"
    UNKNOWN_DRIVER = "UNKNOWN_DRIVER"
    """A driver code that is not one of the follow-up's (federation/battery/followups.py DRIVERS): in filters,
    replies and cited events."""
    INVALID_WORDING = "INVALID_WORDING"
    NO_REPORTING_ORGANISATION = "NO_REPORTING_ORGANISATION", 409, _INPUT
    NO_QUESTION_TO_DRAW = "NO_QUESTION_TO_DRAW", 409, _INPUT
    DRAW_MALFORMED = "DRAW_MALFORMED"
    DRAW_FORGED = "DRAW_FORGED", 403, _FORBIDDEN
    DRAW_EXPIRED = "DRAW_EXPIRED", 410, _INPUT
    QUESTION_NOT_FOR_CHANNEL = "QUESTION_NOT_FOR_CHANNEL"
    """The question is not in the question set of the channel's type (federation/battery/question_sets.py): a
    weight for it on that channel, or (as the item code of the same name) an answer to it there."""
    INVALID_CHANNEL_TYPES = "INVALID_CHANNEL_TYPES"


class RatingsCode(ErrorCode):
    """Rating batches, the widget's answers, rating tickets and follow-ups."""

    BATCH_TOO_LARGE = "BATCH_TOO_LARGE"
    WIDGET_UNAVAILABLE = "WIDGET_UNAVAILABLE"
    TICKET_REQUIRED = "TICKET_REQUIRED"
    TICKET_MALFORMED = "TICKET_MALFORMED"
    TICKET_FORGED = "TICKET_FORGED", 403, _FORBIDDEN
    TICKET_EXPIRED = "TICKET_EXPIRED", 410, _INPUT
    TICKET_TOO_LONG_LIVED = "TICKET_TOO_LONG_LIVED", 403, _FORBIDDEN
    TICKET_MISMATCH = "TICKET_MISMATCH", 403, _FORBIDDEN
    TICKET_REPLAYED = "TICKET_REPLAYED", 409, _INPUT
    TICKET_KEY_RETIRED = "TICKET_KEY_RETIRED", 403, _FORBIDDEN
    TICKET_KEY_MALFORMED = "TICKET_KEY_MALFORMED"
    TICKET_KEY_MISSING = "TICKET_KEY_MISSING"
    TICKET_KEY_UNREADABLE = "TICKET_KEY_UNREADABLE"
    RATING_REJECTED = "RATING_REJECTED"
    FOLLOW_UP_WITHOUT_ANSWER = "FOLLOW_UP_WITHOUT_ANSWER", 409, _INPUT
    FOLLOW_UP_AFTER_SKIP = "FOLLOW_UP_AFTER_SKIP", 409, _INPUT
    # A DUPLICATE outcome (answered 200), never a refusal; listed so every widget code is in the table.
    FOLLOW_UP_ALREADY_RECEIVED = "FOLLOW_UP_ALREADY_RECEIVED"


class ScoresCode(ErrorCode):
    """Score windows and the granularity of what is published."""

    TIMESTAMP_WITHOUT_TIMEZONE = "TIMESTAMP_WITHOUT_TIMEZONE"
    EMPTY_WINDOW = "EMPTY_WINDOW"
    AMBIGUOUS_WINDOW = "AMBIGUOUS_WINDOW"
    WINDOW_TOO_LONG = "WINDOW_TOO_LONG"
    WINDOW_OUT_OF_RANGE = "WINDOW_OUT_OF_RANGE"
    GRANULARITY_NOT_PUBLIC = "GRANULARITY_NOT_PUBLIC", 403, _FORBIDDEN


class AnalyticsCode(ErrorCode):
    """Series, comparisons, peer groups and change events."""

    TOO_MANY_POINTS = "TOO_MANY_POINTS"
    PEER_GROUP_REQUIRED = "PEER_GROUP_REQUIRED"
    NO_PEER_GROUP = "NO_PEER_GROUP"
    SCOPE_REQUIRED = "SCOPE_REQUIRED"
    DESCRIPTION_REQUIRED = "DESCRIPTION_REQUIRED"
    DESCRIPTION_TOO_LONG = "DESCRIPTION_TOO_LONG"
    DATE_OUT_OF_RANGE = "DATE_OUT_OF_RANGE"
    UNKNOWN_EVENT = "UNKNOWN_EVENT", 404, _INPUT
    INVALID_THEME_KEY = "INVALID_THEME_KEY"
    TOO_MANY_THEMES = "TOO_MANY_THEMES"


class PublicationCode(ErrorCode):
    """Periods, publications and their exports."""

    INVALID_PERIOD = "INVALID_PERIOD"
    PERIOD_NOT_ENDED = "PERIOD_NOT_ENDED"
    DRAFT_EXISTS = "DRAFT_EXISTS"
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"
    UNKNOWN_PUBLICATION = "UNKNOWN_PUBLICATION", 404, _INPUT
    NO_PUBLICATION = "NO_PUBLICATION", 404, _INPUT
    NO_PUBLISHED_SCORES = "NO_PUBLISHED_SCORES", 404, _INPUT
    INVALID_SOURCE = "INVALID_SOURCE"
    UNKNOWN_EXPORT = "UNKNOWN_EXPORT", 404, _INPUT


class PrivacyCode(ErrorCode):
    """Erasure, master keys and the record of processing."""

    INVALID_PERSONAL_IDENTIFIER = "INVALID_PERSONAL_IDENTIFIER"
    UNKNOWN_KEY_VERSION = "UNKNOWN_KEY_VERSION"
    KEY_STILL_NEEDED = "KEY_STILL_NEEDED"
    UNSUPPORTED_LOCALE = "UNSUPPORTED_LOCALE"


class ResearchCode(ErrorCode):
    """Researchers, their breakdowns and privacy budgets."""

    RESEARCHER_NOT_REGISTERED = "RESEARCHER_NOT_REGISTERED", 403, _FORBIDDEN
    INVALID_RESEARCHER_NAME = "INVALID_RESEARCHER_NAME"
    INVALID_BUDGET = "INVALID_BUDGET"
    PRIVACY_BUDGET_EXHAUSTED = "PRIVACY_BUDGET_EXHAUSTED"
    QUESTION_NOT_ALLOWED = "QUESTION_NOT_ALLOWED"
    UNKNOWN_SCOPE = "UNKNOWN_SCOPE"
    INVALID_SCOPE = "INVALID_SCOPE"
    TOO_MANY_DIMENSIONS = "TOO_MANY_DIMENSIONS"
    NO_METRICS = "NO_METRICS"
    METRIC_NOT_FOR_SCALE = "METRIC_NOT_FOR_SCALE"
    EPSILON_REQUIRED = "EPSILON_REQUIRED"
    EPSILON_NOT_ALLOWED = "EPSILON_NOT_ALLOWED"
    EPSILON_OUT_OF_RANGE = "EPSILON_OUT_OF_RANGE"
    PERIOD_TOO_LONG = "PERIOD_TOO_LONG"
    NOT_YOUR_SCOPE = "NOT_YOUR_SCOPE", 403, _FORBIDDEN


class VolumesCode(ErrorCode):
    """Service volumes (item results of a volume batch are :class:`~federation.volumes.contract.VolumeItemCode`)."""

    SERIES_TOO_LONG = "SERIES_TOO_LONG"
    INVALID_TOP = "INVALID_TOP"


class FeedbackCode(ErrorCode):
    """Feedback: the inbox, its handling, public replies and receipt codes; themes of free texts, their names and
    merges per organisation, and how many texts one read may theme."""

    UNKNOWN_FEEDBACK = "UNKNOWN_FEEDBACK", 404, _INPUT
    INVALID_STATUS_TRANSITION = "INVALID_STATUS_TRANSITION", 409, _INPUT
    INVALID_HANDLER = "INVALID_HANDLER"
    INVALID_NOTE = "INVALID_NOTE"
    TOO_MANY_NOTES = "TOO_MANY_NOTES", 409, _INPUT
    INVALID_REPLY = "INVALID_REPLY"
    INVALID_FILTER = "INVALID_FILTER"
    EMPTY_GROUP = "EMPTY_GROUP", 409, _INPUT
    EVENT_NOT_OF_SERVICE = "EVENT_NOT_OF_SERVICE"
    UNKNOWN_REPLY = "UNKNOWN_REPLY", 404, _INPUT
    REPLY_WITHDRAWN = "REPLY_WITHDRAWN", 409, _INPUT
    UNKNOWN_RECEIPT = "UNKNOWN_RECEIPT", 404, _INPUT
    UNKNOWN_THEME = "UNKNOWN_THEME", 404, _INPUT
    INVALID_THEME_LABEL = "INVALID_THEME_LABEL"
    THEME_MERGE_INTO_ITSELF = "THEME_MERGE_INTO_ITSELF"
    THEME_MERGED = "THEME_MERGED", 409, _INPUT
    TOO_MANY_TEXTS = "TOO_MANY_TEXTS"


class NotifyCode(ErrorCode):
    """Notification subscriptions (e-mail digests and alerts, webhooks) and their deliveries."""

    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_WEBHOOK_URL = "INVALID_WEBHOOK_URL"
    UNKNOWN_ALERT_KIND = "UNKNOWN_ALERT_KIND"
    TOO_MANY_ALERT_KINDS = "TOO_MANY_ALERT_KINDS"
    NOTHING_TO_NOTIFY = "NOTHING_TO_NOTIFY"
    INVALID_NOTIFICATION_LOCALE = "INVALID_NOTIFICATION_LOCALE"
    SUBSCRIPTION_EXISTS = "SUBSCRIPTION_EXISTS", 409, _INPUT
    TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS", 409, _INPUT
    UNKNOWN_SUBSCRIPTION = "UNKNOWN_SUBSCRIPTION", 404, _INPUT
    SMTP_NOT_CONFIGURED = "SMTP_NOT_CONFIGURED", 409, _INPUT


class ReportCode(ErrorCode):
    """Printable reports (exporters/report/)."""

    INVALID_QUARTER = "INVALID_QUARTER"
    QUARTER_IN_FUTURE = "QUARTER_IN_FUTURE"
    UNSUPPORTED_REPORT_LANGUAGE = "UNSUPPORTED_REPORT_LANGUAGE"
    OUTPUT_NOT_WRITABLE = "OUTPUT_NOT_WRITABLE"
    RENDERER_MISSING = "RENDERER_MISSING", 500, Classification.INTERNAL_SERVER_ERROR


class PagesCode(ErrorCode):
    """Page feedback ("Was this page useful?") on an organisation's own pages: registering pages, the citizen's
    answers and follow-ups (federation/pages/)."""

    INVALID_PAGE_URL = "INVALID_PAGE_URL"
    INVALID_PAGE_TITLE = "INVALID_PAGE_TITLE"
    DUPLICATE_PAGE = "DUPLICATE_PAGE"
    TOO_MANY_PAGES = "TOO_MANY_PAGES"
    UNKNOWN_PAGE = "UNKNOWN_PAGE", 404, _INPUT
    PAGE_NOT_REGISTERED = "PAGE_NOT_REGISTERED", 404, _INPUT
    ORIGIN_MISMATCH = "ORIGIN_MISMATCH", 403, _FORBIDDEN
    INVALID_ANSWER = "INVALID_ANSWER"
    FOLLOW_UP_AFTER_YES = "FOLLOW_UP_AFTER_YES", 409, _INPUT
    FOLLOW_UP_TOO_LATE = "FOLLOW_UP_TOO_LATE", 410, _INPUT


AREAS: tuple[type[ErrorCode], ...] = (RequestCode, AuthCode, RegistryCode, BatteryCode, RatingsCode, ScoresCode,
                                     AnalyticsCode, PublicationCode, PrivacyCode, ResearchCode, VolumesCode,
                                     FeedbackCode, NotifyCode, ReportCode, PagesCode)
"""Every area's enum of codes."""

CODES: dict[str, ErrorCode] = {member.value: member for area in AREAS for member in area}
"""The one table: every code, by its string, with its status and classification."""


class DomainError(Exception):
    """A request arvio understood but must refuse. ``code`` is stable API; ``message`` says how to fix it."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def classification(self) -> str:
        """``extensions.classification``: the code's."""
        return self.code.classification


class NotFound(DomainError):
    """The thing asked for does not exist (or the caller may not know it exists)."""


class Forbidden(DomainError):
    """The caller's token does not allow this."""

    def __init__(self, message: str, code: ErrorCode = AuthCode.FORBIDDEN) -> None:
        super().__init__(code, message)

    @property
    def classification(self) -> str:
        """Always FORBIDDEN: a refusal of who is asking, whatever its code (see NATIONAL_QUESTION)."""
        return Classification.FORBIDDEN


class Unauthenticated(DomainError):
    """No valid token was given where one is needed."""

    def __init__(self, message: str) -> None:
        super().__init__(AuthCode.UNAUTHENTICATED, message)
