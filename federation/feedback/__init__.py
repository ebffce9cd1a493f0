"""Closing the loop: the organisations' feedback inbox, public replies and the citizen's receipt page; themes of
citizens' free texts (seed vocabulary, language analysis, per-organisation names and merges)."""
