"""The hourly rollups and the slot layout of every histogram table — one owner for both.

Every score, series, heatmap, comparison, publication and KPI of arvio is read from ``rollup_hourly``, never from
ratings (docs/ARCHITECTURE.md, "rollups are the only source of scores"). This package is the only place that knows
how those tables are laid out, written and summed:

- ``slots.py`` (pure: SQL expressions, no I/O): the slot layout — counter ``cN`` counts answers with value N — as the
  :class:`~federation.rollups.slots.HistogramCounts` columns shared by ``rollup_hourly``, the demographic cube
  (federation/privacy/models.py) and frozen publication scores (federation/publication/models.py), and the helpers
  every other module uses instead of naming ``c0`` … ``c10``: the 11 SUM expressions, a row's answers, a row's
  slots, the values of an INSERT, the additions of an upsert.
- ``models.py`` (tables): ``rollup_hourly``, ``rollup_driver_hourly`` and the read index; their names, columns and
  indexes are what migrations 0001–0013 build (tests/federation/test_migrations.py compares them).
- ``writing.py`` (I/O in the caller's transaction, never commits): the rollup key of an answer, the answer and
  driver deltas gathered in memory and upserted in key order, and the deletion of rows an erasure emptied.
- ``reading.py`` (I/O, reads only): :func:`~federation.rollups.reading.read_histograms`, one grouped aggregate query
  per call whose rows are bounded by the groups asked for (hours, local days, services, cells), never by the number
  of ratings behind them; and the driver counts of a window.
"""
