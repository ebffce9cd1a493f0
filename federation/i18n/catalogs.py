"""The gettext catalogs of arvio (``locales/<code>/LC_MESSAGES/arvio.po``), read with Babel, and lookups with a
fallback chain: the locale's own translation, then Finnish (``FALLBACK``), then the msgid itself.

The locales are the catalog directory's sub-folders that hold an ``arvio.po``: adding a language is adding a
catalog, no code. An empty or fuzzy ``msgstr`` is a missing translation: ``missing`` lists those of a locale
(with the Finnish text and the source locations the catalog records) for translators. ``as_json`` is a locale's
catalog for the widget and the dashboard, fallbacks resolved and marked with their language.
"""

from __future__ import annotations

import functools
import gettext as stdlib_gettext
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

DOMAIN = "arvio"
FALLBACK = "fi"
"""The language every other falls back to (the catalogue's required language, and the source of the wordings)."""
LOCALE_DIR = Path(__file__).parent / "locales"
LANGUAGE_NAME = ("language name", "English")
"""The msgid (context, text) whose translation is each catalog's own name of its language ("Suomi", "Svenska")."""
_CODE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Text:
    """A translated text and the language it is actually in (``fi`` when it fell back to Finnish)."""

    text: str
    lang: str


@dataclass(frozen=True)
class Missing:
    """A msgid a locale has no translation of, for translators."""

    msgid: str
    context: str | None
    finnish: str
    locations: tuple[str, ...]


def po_path(locale: str) -> Path:
    """Where the catalog of ``locale`` is."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def available_locales() -> tuple[str, ...]:
    """Every locale with a catalog, Finnish first, then alphabetically."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if _CODE.fullmatch(p.name) and po_path(p.name).is_file())
    return tuple(sorted(found, key=lambda code: (code != FALLBACK, code)))


def is_locale(code: object) -> bool:
    """True when ``code`` names a locale with a catalog (any other value, of any type, is False)."""
    return isinstance(code, str) and code in available_locales()


@functools.cache
def catalog(locale: str) -> Catalog:
    """The parsed catalog of ``locale`` (read once per process); ValueError for a locale without one."""
    if not is_locale(locale):
        raise ValueError(f"no catalog for locale {locale!r}; the locales are {', '.join(available_locales())}.")
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def chain(locale: str) -> tuple[str, ...]:
    """The catalogs a lookup in ``locale`` tries, in order (an unknown locale reads Finnish)."""
    if not is_locale(locale) or locale == FALLBACK:
        return (FALLBACK,)
    return (locale, FALLBACK)


def _translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms)


def _message(locale: str, msgid: str, context: str | None) -> tuple[Message, str] | None:
    for code in chain(locale):
        message = catalog(code).get(msgid, context=context)
        if _translated(message):
            assert message is not None
            return message, code
    return None


def lookup(locale: str, msgid: str, context: str | None = None) -> Text:
    """The text of ``msgid`` in ``locale`` along the fallback chain, with the language it is in."""
    found = _message(locale, msgid, context)
    if found is None:
        return Text(msgid, "en")
    message, code = found
    string = message.string
    return Text(string[0] if isinstance(string, tuple) else str(string), code)


def gettext(locale: str, msgid: str) -> str:
    """The text of ``msgid`` in ``locale`` (falling back to Finnish)."""
    return lookup(locale, msgid).text


def pgettext(locale: str, context: str, msgid: str) -> str:
    """The text of ``msgid`` in ``context`` (its ``msgctxt``) in ``locale``."""
    return lookup(locale, msgid, context).text


@functools.cache
def _plural_rule(locale: str) -> Callable[[int], int]:
    rule: Callable[[int], int] = stdlib_gettext.c2py(catalog(locale).plural_expr)
    return rule


def ngettext(locale: str, singular: str, plural: str, n: int) -> Text:
    """The form of ``singular``/``plural`` for the count ``n`` in ``locale`` (by its catalog's Plural-Forms), with
    the language it is in; the untranslated fallback is English's ``n == 1`` rule on the msgids."""
    found = _message(locale, singular, None)
    if found is None or not isinstance(found[0].string, tuple):
        return Text(singular if n == 1 else plural, "en")
    message, code = found
    forms = tuple(message.string or ())
    index = min(_plural_rule(code)(n), len(forms) - 1)
    return Text(forms[index], code)


def missing(locale: str) -> list[Missing]:
    """The msgids of the Finnish catalog that ``locale`` has no (or only a fuzzy) translation of."""
    own = catalog(locale)
    found: list[Missing] = []
    for message in catalog(FALLBACK):
        if not message.id or _translated(own.get(message.id, context=message.context)):
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        finnish = message.string if isinstance(message.string, str) else " | ".join(message.string or ())
        places = tuple(f"{path}:{line}" for path, line in message.locations)
        found.append(Missing(msgid, message.context, finnish, places))
    return found


def language_name(locale: str) -> str:
    """The locale's own name of its language (``Davvisámegiella``), or the code when the catalog lacks it."""
    text = lookup(locale, LANGUAGE_NAME[1], LANGUAGE_NAME[0])
    return text.text if text.lang == locale else locale


def clear_caches() -> None:
    """Forget the parsed catalogs, the locale list and the JSON (after the .po files or ``LOCALE_DIR`` changed)."""
    for cached in (available_locales, catalog, as_json, _plural_rule):
        cached.cache_clear()


def json_key(msgid: str, context: str | None) -> str:
    """A message's key in the JSON catalog: the msgid, after ``context`` and EOT when it has one (as in .mo)."""
    return msgid if context is None else f"{context}\x04{msgid}"


@functools.cache
def as_json(locale: str) -> tuple[bytes, str]:
    """The catalog of ``locale`` as JSON for the browser, and a content-hash ETag of it.

    ``{"locale", "name", "fallback", "messages": {key: text or [plural forms]}, "langs": {key: "fi"}}``: every
    msgid of the Finnish catalog resolved along the fallback chain; ``langs`` names the language of each text
    that is not in ``locale`` (for ``lang`` attributes).
    """
    messages: dict[str, str | list[str]] = {}
    langs: dict[str, str] = {}
    for source in catalog(FALLBACK):
        if not source.id:
            continue
        msgid = source.id if isinstance(source.id, str) else source.id[0]
        key = json_key(msgid, source.context)
        found = _message(locale, msgid, source.context)
        if found is None:
            continue
        message, code = found
        messages[key] = list(message.string) if isinstance(message.string, tuple) else str(message.string)
        if code != locale:
            langs[key] = code
    body = orjson.dumps({"locale": locale, "name": language_name(locale), "fallback": FALLBACK,
                         "messages": messages, "langs": langs}, option=orjson.OPT_SORT_KEYS)
    return body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
