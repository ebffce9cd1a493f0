"""Translations of arvio's citizen- and organisation-facing texts through gettext catalogs (one domain, ``arvio``).

``locales/<code>/LC_MESSAGES/arvio.po`` holds one catalog per locale, read with Babel (``catalogs.py``); the
locale list is the catalog directory. Finnish is the source of fallbacks: a string a catalog lacks is shown in
Finnish (``Text.lang`` then says ``fi``, for ``lang="fi"`` on the element). ``extraction.py`` finds the msgids
used in code with Babel's extractors (``babel.cfg``) and brings the catalogs up to them; ``markers.py`` marks
msgids in data modules. The translators' workflow is in README.md ("Languages").
"""
