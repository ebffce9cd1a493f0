"""The ``arvio`` command line."""
