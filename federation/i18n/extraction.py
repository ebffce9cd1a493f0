"""The msgids used in code, found with Babel's extractors (Python and JavaScript, ``babel.cfg``), and the
catalogs brought up to them: ``template`` is the ``arvio.pot`` of the code, ``update`` merges it into every
catalog (new msgids empty, translations kept, msgids no longer used dropped), ``problems`` is the check that
fi, sv and en are complete and that the catalogs hold exactly the code's msgids.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from federation.i18n import catalogs

MAPPING = Path(__file__).parent / "babel.cfg"
SOURCE_ROOT = Path(__file__).parent.parent.parent
"""The repository root (site-packages in an installed copy: the mapping's folders are there too)."""
COMPLETE = ("fi", "sv", "en")
"""The locales that must translate every msgid."""
KEYWORDS: dict[str, Any] = {
    "_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2),
}
"""The functions whose string arguments are msgids, in Python and JavaScript alike (Babel's keyword specs)."""
WIDTH = 120


def template(root: Path = SOURCE_ROOT) -> Catalog:
    """Every msgid of the code under ``root``, with its source locations (an ``arvio.pot`` in memory)."""
    with MAPPING.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    pot = Catalog(domain=catalogs.DOMAIN, project="arvio", fuzzy=False)
    for path, line, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True):
        pot.add(message, None, [(path, line)], auto_comments=comments, context=context)
    own = catalogs.LANGUAGE_NAME
    pot.add(own[1], None, [], context=own[0])
    return pot


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, ignore_obsolete=True, include_previous=False)
    return out.getvalue()


def update(root: Path = SOURCE_ROOT) -> list[Path]:
    """Merge the code's msgids into every catalog and write ``arvio.pot``; the files that changed."""
    pot = template(root)
    changed: list[Path] = []
    written = {catalogs.LOCALE_DIR / f"{catalogs.DOMAIN}.pot": _po_bytes(pot)}
    for locale in catalogs.available_locales():
        catalog = catalogs.catalog(locale)
        catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
        written[catalogs.po_path(locale)] = _po_bytes(catalog)
    for path, body in written.items():
        if not path.exists() or _without_dates(path.read_bytes()) != _without_dates(body):
            path.write_bytes(body)
            changed.append(path)
    catalogs.clear_caches()
    return changed


def _without_dates(body: bytes) -> bytes:
    return b"\n".join(line for line in body.split(b"\n") if not line.startswith((b'"POT-Creation-Date', b'"PO-Rev')))


def _label(msgid: str, context: str | None) -> str:
    return repr(msgid) if context is None else f"{msgid!r} (context {context!r})"


def problems(root: Path = SOURCE_ROOT) -> list[str]:
    """What keeps the catalogs from matching the code: msgids not in the catalogs, msgids no code uses,
    untranslated strings of fi, sv and en. Empty when all is well."""
    pot = template(root)
    used = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in pot if m.id}
    found: list[str] = []
    for locale in catalogs.available_locales():
        known = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalogs.catalog(locale) if m.id}
        found += [f"{locale}: {_label(*key)} is used in code but not in the catalog; run `arvio i18n update`."
                  for key in sorted(used - known, key=str)]
        found += [f"{locale}: {_label(*key)} is in the catalog but no code uses it; run `arvio i18n update`."
                  for key in sorted(known - used, key=str)]
    for locale in COMPLETE:
        found += [f"{locale}: {_label(m.msgid, m.context)} has no translation (Finnish: {m.finnish!r})."
                  for m in (catalogs.missing(locale) if locale != catalogs.FALLBACK else _untranslated_finnish())]
    return found


def _untranslated_finnish() -> list[catalogs.Missing]:
    return [catalogs.Missing(m.id if isinstance(m.id, str) else m.id[0], m.context, "", ())
            for m in catalogs.catalog(catalogs.FALLBACK)
            if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))]
