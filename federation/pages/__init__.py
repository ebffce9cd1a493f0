"""Page feedback ("Was this page useful?") on an organisation's own web pages, inside or outside the national
catalogue: registration (``registration.py``), URLs (``urls.py``), the citizen's answers and follow-ups
(``answers.py``), scores per page and per service (``scores.py``), the sealed "what was missing" texts
(``texts.py``); tables in ``models.py``."""
