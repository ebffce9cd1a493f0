"""Closing the loop: the organisations' feedback inbox, public replies and the citizen's receipt page."""
