"""Markers of translatable msgids in data modules (pure: no I/O).

Babel's extractor (``federation/i18n/babel.cfg``) finds ``N_("…")`` and ``NP_("context", "…")`` calls; the
text is looked up later, in the reader's locale, through ``federation/i18n/catalogs.py``.
"""

from __future__ import annotations


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention
    """``msgid`` unchanged: marks it for extraction."""
    return msgid


def NP_(context: str, msgid: str) -> tuple[str, str]:  # noqa: N802 - the gettext convention
    """``(context, msgid)`` unchanged: marks a msgid with its ``msgctxt`` for extraction."""
    return context, msgid
