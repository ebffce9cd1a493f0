"""GraphQL of federation/feedback/: the inbox, its handling and public replies (``inbox.py``), and themes of free
texts (``themes.py``)."""

from schema.graphql.feedback.inbox import FeedbackInboxMutation, FeedbackInboxQuery
from schema.graphql.feedback.themes import FeedbackThemesMutation, FeedbackThemesQuery

__all__ = ["FeedbackInboxMutation", "FeedbackInboxQuery", "FeedbackThemesMutation", "FeedbackThemesQuery"]
