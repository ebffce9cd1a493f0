"""Themes of citizens' free texts (seed vocabulary, language analysis, per-organisation names and merges)."""
