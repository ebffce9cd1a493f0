"""Disclosure control for researcher breakdowns: suppression (primary and secondary), consistent cell-key noise,
rounding and share coding. Pure functions over frozen dataclasses; imports only the standard library.

- :mod:`~pseudonymize.disclosure.policy` — :class:`DisclosurePolicy` (threshold, rounding, noise bound, coding);
- :mod:`~pseudonymize.disclosure.suppression` — which entries of a table to withhold, stable across periods;
- :mod:`~pseudonymize.disclosure.cellkey` — :class:`CellKeyNoise`, the same noise for the same cell every time;
- :mod:`~pseudonymize.disclosure.publish` — statistics → rounded, clamped, coded values.
"""

from pseudonymize.disclosure.cellkey import CellKeyNoise, combine_content_keys, deviation_probability
from pseudonymize.disclosure.policy import PRODUCTION_MINIMUM_THRESHOLD, DisclosurePolicy
from pseudonymize.disclosure.publish import (
    STATISTICS,
    CellStatistics,
    Metric,
    PublishedCell,
    PublishedShare,
    ShareCoding,
    publish,
    round_count,
)
from pseudonymize.disclosure.suppression import (
    EntryKey,
    TableShape,
    difference_sensitive,
    entry_counts,
    period_pattern,
    respondent_floors,
    scope_pattern,
    suppression_pattern,
)

__all__ = [
    "PRODUCTION_MINIMUM_THRESHOLD",
    "STATISTICS",
    "CellKeyNoise",
    "CellStatistics",
    "DisclosurePolicy",
    "EntryKey",
    "Metric",
    "PublishedCell",
    "PublishedShare",
    "ShareCoding",
    "TableShape",
    "combine_content_keys",
    "deviation_probability",
    "difference_sensitive",
    "entry_counts",
    "period_pattern",
    "publish",
    "respondent_floors",
    "round_count",
    "scope_pattern",
    "suppression_pattern",
]
