"""Tests of the printable quarterly report (exporters/report/)."""
