"""The alert kinds arvio knows: one ``REGISTRY.register(…)`` line per kind (federation/notify/kinds.py says how to
write one)."""

from __future__ import annotations

from federation.notify.kinds import KindRegistry
from federation.notify.score_drop import SCORE_DROP
from federation.notify.theme_surge import THEME_SURGE
from federation.notify.unanswered import UNANSWERED_FEEDBACK

REGISTRY = KindRegistry()
REGISTRY.register(SCORE_DROP)
REGISTRY.register(THEME_SURGE)
REGISTRY.register(UNANSWERED_FEEDBACK)
