"""Analytics for organisations: time series, rush heatmaps, change impact, alerts and fair comparison.

The maths (``series``, ``heatmap``, ``significance``, ``change``, ``alerts``, ``comparison``) is pure functions over
frozen dataclasses; ``reading`` holds the rollup queries, ``events`` the service-event storage and ``service`` the
orchestration the GraphQL layer calls. Every figure is read from the hourly rollups, never from ratings.
"""
