"""Printable quarterly reports of an organisation: content.py reads the figures, render.py draws the PDF."""
