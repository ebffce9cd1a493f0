"""``arvio i18n …``: the translators' commands on the gettext catalogs (federation/i18n/).

``locales`` lists the catalogs; ``missing LOCALE`` lists the msgids a locale has not translated (with the
Finnish text they fall back to and where the code uses them); ``update`` merges the code's msgids into every
catalog; ``check`` exits 1 when fi/sv/en are incomplete or the catalogs and the code disagree. README.md,
"Languages", has the workflow.
"""

from __future__ import annotations

import argparse

from federation.i18n import catalogs, extraction
from federation.settings import Settings


def cmd_locales(args: argparse.Namespace, settings: Settings) -> int:
    for locale in catalogs.available_locales():
        untranslated = len(catalogs.missing(locale))
        print(f"{locale}\t{catalogs.language_name(locale)}\t{untranslated} missing")
    return 0


def cmd_missing(args: argparse.Namespace, settings: Settings) -> int:
    if not catalogs.is_locale(args.locale):
        raise ValueError(f"no catalog for locale {str(args.locale)[:20]!r}; the locales are "
                         f"{', '.join(catalogs.available_locales())} (add one by copying a .po, see README).")
    entries = catalogs.missing(args.locale)
    for entry in entries:
        context = f" [{entry.context}]" if entry.context else ""
        places = ", ".join(entry.locations) or "-"
        print(f"{entry.msgid}{context}\n    fi: {entry.finnish}\n    at: {places}")
    print(f"{len(entries)} of {len(catalogs.catalog(catalogs.FALLBACK))} strings missing in {args.locale}; "
          "they are shown in Finnish.")
    return 0


def cmd_update(args: argparse.Namespace, settings: Settings) -> int:
    for path in extraction.update():
        print(f"updated {path}")
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    found = extraction.problems()
    for problem in found:
        print(problem)
    if not found:
        print(f"catalogs match the code; {', '.join(extraction.COMPLETE)} are complete.")
    return 1 if found else 0


def add_i18n_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``i18n locales|missing|update|check`` to the CLI's subcommands."""
    i18n = sub.add_parser("i18n", help="translations: gettext catalogs").add_subparsers(dest="action", required=True)
    i18n.add_parser("locales", help="the locales that have a catalog").set_defaults(handler=cmd_locales)
    missing = i18n.add_parser("missing", help="the strings a locale has not translated (shown in Finnish)")
    missing.add_argument("locale", help="a locale code, e.g. se")
    missing.set_defaults(handler=cmd_missing)
    i18n.add_parser("update", help="merge the code's msgids into every catalog").set_defaults(handler=cmd_update)
    i18n.add_parser("check", help="fi/sv/en complete and catalogs matching the code").set_defaults(
        handler=cmd_check)
